create table sel_t (a int, b varchar(10), c double precision);
insert into sel_t values (1, 'x', 0.5), (2, 'y', 1.25), (3, NULL, NULL), (2, 'y', 1.25)