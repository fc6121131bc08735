create table an_t (a int, b varchar(5), c date) distkey(a);
analyze