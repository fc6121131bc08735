create table cur_t (a int, b varchar(10));
declare c2 no scroll cursor without hold for select count(*) from cur_t