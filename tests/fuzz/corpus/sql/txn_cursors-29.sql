create table cur_t (a int, b varchar(10));
declare h2 cursor with hold for select a from cur_t order by a