create table an_t (a int, b varchar(5), c date) distkey(a);
create table an_all (k int) diststyle all;
create table an_s (k int, g varchar(8), n int) distkey(k);
create table an_digits (x int);
insert into an_digits values (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)