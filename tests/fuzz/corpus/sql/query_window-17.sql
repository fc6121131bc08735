create table wn_t (g varchar(5), o int, v int, d decimal(8,2));
create table wn_empty (g varchar(5), v int);
select g, count(*), row_number() over (order by g desc) from wn_t group by g having count(*) > 1 order by g