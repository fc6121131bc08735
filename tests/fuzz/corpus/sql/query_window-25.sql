create table wn_t (g varchar(5), o int, v int, d decimal(8,2));
create table wn_empty (g varchar(5), v int);
create table wn_big (k int, x int);
select count(*), sum(rn), sum(rk), sum(running) from (
  select row_number() over (partition by k order by x) rn, rank() over (partition by k % 3 order by x / 7000) rk,
         sum(x) over (partition by k order by x) running
  from wn_big) s