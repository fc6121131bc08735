create table wn_t (g varchar(5), o int, v int, d decimal(8,2));
create table wn_empty (g varchar(5), v int);
select g, v, rank() over (partition by g order by v desc) from wn_t order by 3, 2 limit 4