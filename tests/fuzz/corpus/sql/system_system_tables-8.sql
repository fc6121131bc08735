create table sys_t (a int, b varchar(10)) distkey(a);
insert into sys_t select a + 10, b from sys_t