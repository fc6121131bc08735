create table an_t (a int, b varchar(5), c date) distkey(a);
insert into an_t values (1, 'x', '2020-01-01'), (5, 'y', '2020-02-01'), (9, NULL, NULL)