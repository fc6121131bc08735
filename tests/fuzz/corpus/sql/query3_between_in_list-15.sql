create table q3b_t (id int, n int, x decimal(6,2), s varchar(10), c char(10)) distkey(id);
drop table q3b_t