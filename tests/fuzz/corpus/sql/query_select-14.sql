create table sel_t (a int, b varchar(10), c double precision);
drop table sel_t