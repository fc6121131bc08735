create table cur_t (a int, b varchar(10));
fetch backward 1 from c5