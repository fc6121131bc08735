create table cur_t (a int, b varchar(10));
delete from cur_t where a = 3