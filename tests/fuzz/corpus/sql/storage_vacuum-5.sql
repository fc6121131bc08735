create table vt_digits (x int);
create table vt (k int, v int) diststyle even sortkey(k);
insert into vt select -1 - (a.x * 10 + b.x), 9 from vt_digits a, vt_digits b