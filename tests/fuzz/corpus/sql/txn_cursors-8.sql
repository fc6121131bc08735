create table cur_t (a int, b varchar(10));
move forward 1 in c1