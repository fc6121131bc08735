create table sys_t (a int, b varchar(10)) distkey(a);
drop table sys_t