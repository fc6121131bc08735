create table wn_t (g varchar(5), o int, v int, d decimal(8,2));
create table wn_empty (g varchar(5), v int);
create table wn_big (k int, x int);
select sum(v) over (order by v rows between 1 preceding and current row) from wn_t