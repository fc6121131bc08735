create table ol_t (id int, n int, s varchar(10), d decimal(6,2));
select count(*) from (select id from ol_t limit 4) sub