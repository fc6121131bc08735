create table wn_t (g varchar(5), o int, v int, d decimal(8,2));
create table wn_empty (g varchar(5), v int);
select count(*) from (select rank() over (partition by g order by v) r from wn_empty) s