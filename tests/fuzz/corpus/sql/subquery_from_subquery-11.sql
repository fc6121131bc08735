create table sqf_t (id int, g varchar(3), v int) distkey(id);
create table sqf_g (g varchar(3), label varchar(10)) diststyle all;
select a.g, a.n, b.m from (select g, count(*) n from sqf_t group by g) a, (select g, max(v) m from sqf_t group by g) b where a.g = b.g