create table wn_t (g varchar(5), o int, v int, d decimal(8,2));
create table wn_empty (g varchar(5), v int);
select g, sum(v), rank() over (order by sum(v) desc), sum(sum(v)) over () from wn_t group by g order by g