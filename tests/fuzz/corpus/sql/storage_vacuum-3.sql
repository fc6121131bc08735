create table vt_digits (x int);
create table vt (k int, v int) diststyle even sortkey(k);
insert into vt select a.x * 100 + b.x * 10 + c.x, a.x from vt_digits a, vt_digits b, vt_digits c