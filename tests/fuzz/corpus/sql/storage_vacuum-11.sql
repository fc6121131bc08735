create table vt_digits (x int);
create table vt (k int, v int) diststyle even sortkey(k);
select count(*), min(k), max(k) from vt