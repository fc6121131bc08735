create table vt_digits (x int);
create table vt (k int, v int) diststyle even sortkey(k);
select unsorted from svv_table_info where "table" = 'vt'