create table cur_t (a int, b varchar(10));
declare h1 cursor with hold for select a from cur_t where a <= 4 order by a