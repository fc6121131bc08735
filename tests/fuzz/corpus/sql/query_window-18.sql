create table wn_t (g varchar(5), o int, v int, d decimal(8,2));
create table wn_empty (g varchar(5), v int);
select g, v, row_number() over (order by v) rn from wn_t order by rn desc limit 3