create table an_t (a int, b varchar(5), c date) distkey(a);
create table an_all (k int) diststyle all;
create table an_s (k int, g varchar(8), n int) distkey(k);
create table an_digits (x int);
analyze an_s (g)