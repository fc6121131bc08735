create table wn_t (g varchar(5), o int, v int, d decimal(8,2));
create table wn_empty (g varchar(5), v int);
create table wn_big (k int, x int);
select k, max(rn), min(rn) from (select k, row_number() over (order by x, k) rn from wn_big) s group by k order by k