create table cur_t (a int, b varchar(10));
insert into cur_t values (1, 'one'), (2, 'two'), (3, 'three'), (4, 'four'), (5, 'five'), (6, 'six'), (7, 'seven')