create table an_t (a int, b varchar(5), c date) distkey(a);
create table an_all (k int) diststyle all;
insert into an_all values (1), (2)