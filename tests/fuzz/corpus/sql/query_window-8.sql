create table wn_t (g varchar(5), o int, v int, d decimal(8,2));
create table wn_empty (g varchar(5), v int);
select g, v, sum(v) over (partition by g), count(*) over (partition by g), min(v) over (partition by g),
       sum(v) over (partition by g order by v rows between unbounded preceding and unbounded following),
       count(*) over ()
from wn_t order by g, v