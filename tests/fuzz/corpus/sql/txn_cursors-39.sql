create table cur_t (a int, b varchar(10));
declare c3 cursor for select a from cur_t order by a