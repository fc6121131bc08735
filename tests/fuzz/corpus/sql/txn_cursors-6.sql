create table cur_t (a int, b varchar(10));
fetch next from c1