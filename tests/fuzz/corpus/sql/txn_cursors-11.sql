create table cur_t (a int, b varchar(10));
declare c1 cursor for select 1