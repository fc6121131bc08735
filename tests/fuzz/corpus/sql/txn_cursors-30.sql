create table cur_t (a int, b varchar(10));
declare h3 binary cursor with hold for select b from cur_t where a = 1