create table dist_t (a int, b bigint, c varchar(12)) distkey(a) sortkey(a);
insert into dist_t values (1, 2, 'row')