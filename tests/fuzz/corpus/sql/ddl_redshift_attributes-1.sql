create table ra_even (a int, b varchar(10)) diststyle even;
create table ra_key (a int, b varchar(10)) diststyle key distkey(a) sortkey(b)