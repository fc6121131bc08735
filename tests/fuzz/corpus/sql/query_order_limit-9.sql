create table ol_t (id int, n int, s varchar(10), d decimal(6,2));
select id, n * 2 as doubled from ol_t where n is not null order by doubled desc, id