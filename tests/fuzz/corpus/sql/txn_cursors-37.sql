create table cur_t (a int, b varchar(10));
fetch h4