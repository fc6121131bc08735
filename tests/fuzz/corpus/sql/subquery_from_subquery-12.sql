create table sqf_t (id int, g varchar(3), v int) distkey(id);
create table sqf_g (g varchar(3), label varchar(10)) diststyle all;
select count(*), sum(v) from (select v from sqf_t where v > (select avg(v) from sqf_t)) hi