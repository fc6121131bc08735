create table an_t (a int, b varchar(5), c date) distkey(a);
create table an_all (k int) diststyle all;
create table an_s (k int, g varchar(8), n int) distkey(k);
create table an_digits (x int);
insert into an_s select a.x * 100 + b.x * 10 + c.x, case when c.x < 5 then 'half' when c.x < 7 then 'two' when c.x < 9 then 'three' else 'four' end, case when b.x < 5 then null else a.x end from an_digits a, an_digits b, an_digits c