create table dist_t (a int, b bigint, c varchar(12)) distkey(a) sortkey(a);
create table dist_committed (k int, v varchar(10)) diststyle even;
create table dist_uncommitted (k int) distkey(k);
insert into dist_committed values (4, 'four')