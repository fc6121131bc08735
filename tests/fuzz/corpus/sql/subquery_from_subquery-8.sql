create table sqf_t (id int, g varchar(3), v int) distkey(id);
create table sqf_g (g varchar(3), label varchar(10)) diststyle all;
select c_count, count(*) as custdist from (select g, count(v) from sqf_t group by g) as c_orders (c_g, c_count) group by c_count order by custdist desc, c_count desc