create table q3c_t (id int, g varchar(3), v int) distkey(id);
with revenue (grp, total) as (select g, sum(v) from q3c_t group by g)
select grp, total from revenue where total = (select max(total) from revenue)