create table ol_t (id int, n int, s varchar(10), d decimal(6,2));
select id, d from ol_t order by d desc