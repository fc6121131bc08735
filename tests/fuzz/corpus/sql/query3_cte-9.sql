create table q3c_t (id int, g varchar(3), v int) distkey(id);
with one as (select 1 as x) select x + 1 from one