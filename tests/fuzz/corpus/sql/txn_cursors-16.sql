create table cur_t (a int, b varchar(10));
insert into cur_t values (8, 'eight')