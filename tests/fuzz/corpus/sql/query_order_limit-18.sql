create table ol_t (id int, n int, s varchar(10), d decimal(6,2));
select s, n from ol_t where n is not null order by n desc, s limit 3