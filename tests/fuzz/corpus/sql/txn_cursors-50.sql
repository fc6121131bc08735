create table cur_t (a int, b varchar(10));
drop table cur_t