create table dist_t (a int, b bigint, c varchar(12)) distkey(a) sortkey(a);
insert into dist_t select a + 8, b + 16, c from dist_t