create table wn_t (g varchar(5), o int, v int, d decimal(8,2));
create table wn_empty (g varchar(5), v int);
select g, o, v, rank() over (partition by g order by o desc), rank() over (partition by g order by o desc nulls last)
from wn_t order by g, o, v