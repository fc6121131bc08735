create table vt_digits (x int);
create table vt (k int, v int) diststyle even sortkey(k);
select count(*) from vt where k between 100 and 199