create table cur_t (a int, b varchar(10));
fetch 1 from h1