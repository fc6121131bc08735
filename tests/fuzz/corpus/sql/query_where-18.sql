create table wh_t (id int, n int, s varchar(10), d date, x decimal(8,2), f boolean);
select id from wh_t where x < 0.0