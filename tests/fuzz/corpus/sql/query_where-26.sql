create table wh_t (id int, n int, s varchar(10), d date, x decimal(8,2), f boolean);
select count(*) from wh_t where 1 = 1