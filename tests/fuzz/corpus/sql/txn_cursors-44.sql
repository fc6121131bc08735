create table cur_t (a int, b varchar(10));
declare c4 cursor for select * from cur_missing