create table wn_t (g varchar(5), o int, v int, d decimal(8,2));
create table wn_empty (g varchar(5), v int);
select g, o, v, lag(v) over (partition by g order by v), lead(v, 2) over (partition by g order by v),
       lag(v, 2, -1) over (partition by g order by v), lead(v, 1, 0) over (order by v)
from wn_t order by g, v