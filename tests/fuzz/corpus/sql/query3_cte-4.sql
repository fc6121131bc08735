create table q3c_t (id int, g varchar(3), v int) distkey(id);
with sums as (select g, sum(v) as total from q3c_t group by g),
     top as (select g, total from sums where total > 30)
select g, total from top