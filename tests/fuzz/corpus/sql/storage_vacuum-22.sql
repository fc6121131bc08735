create table vt_digits (x int);
create table vt (k int, v int) diststyle even sortkey(k);
select count(*), sum(k) from vt