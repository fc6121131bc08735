create table cur_t (a int, b varchar(10));
declare h4 cursor with hold for select 1