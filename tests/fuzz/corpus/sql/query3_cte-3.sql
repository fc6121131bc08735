create table q3c_t (id int, g varchar(3), v int) distkey(id);
with sums (grp, total) as (select g, sum(v) from q3c_t group by g) select grp, total from sums