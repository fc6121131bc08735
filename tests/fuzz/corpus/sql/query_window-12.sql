create table wn_t (g varchar(5), o int, v int, d decimal(8,2));
create table wn_empty (g varchar(5), v int);
select g, v, min(g) over (order by v), lag(g, 1, 'none') over (order by v) from wn_t order by v