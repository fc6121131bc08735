create table cur_t (a int, b varchar(10));
fetch 3 from c1