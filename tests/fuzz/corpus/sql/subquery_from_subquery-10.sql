create table sqf_t (id int, g varchar(3), v int) distkey(id);
create table sqf_g (g varchar(3), label varchar(10)) diststyle all;
select s.g, label, s.n from (select g, count(*) as n from sqf_t group by g) s join sqf_g on s.g = sqf_g.g