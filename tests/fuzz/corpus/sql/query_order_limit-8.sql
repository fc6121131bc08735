create table ol_t (id int, n int, s varchar(10), d decimal(6,2));
select id, s from ol_t order by 2 desc, 1