create table sys_t (a int, b varchar(10)) distkey(a);
insert into sys_t values (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd'), (5, 'e'), (6, NULL), (7, 'g'), (8, 'h'), (9, 'i'), (10, 'j')