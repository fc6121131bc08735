create table wn_t (g varchar(5), o int, v int, d decimal(8,2));
create table wn_empty (g varchar(5), v int);
select g, o, v, first_value(v) over (partition by g order by o, v), last_value(v) over (partition by g order by o),
       last_value(v) over (partition by g order by o, v rows between unbounded preceding and unbounded following)
from wn_t order by g, o, v