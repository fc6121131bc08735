create table wn_t (g varchar(5), o int, v int, d decimal(8,2));
create table wn_empty (g varchar(5), v int);
select g, v, avg(v) over (partition by g), sum(d) over (partition by g order by v), avg(d) over (partition by g)
from wn_t order by g, v