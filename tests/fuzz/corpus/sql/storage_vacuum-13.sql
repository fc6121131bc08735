create table vt_digits (x int);
create table vt (k int, v int) diststyle even sortkey(k);
vacuum delete only vt to 100 percent