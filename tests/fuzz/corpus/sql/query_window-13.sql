create table wn_t (g varchar(5), o int, v int, d decimal(8,2));
create table wn_empty (g varchar(5), v int);
select g, v, row_number() over (order by v desc) + 100, rank() over (partition by o % 2 order by g),
       sum(v * 2) over (partition by g) - v, count(*) over (partition by o % 2)
from wn_t order by v