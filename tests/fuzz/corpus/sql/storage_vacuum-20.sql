create table vt_digits (x int);
create table vt (k int, v int) diststyle even sortkey(k);
select unsorted, tbl_rows, (select count(*) from vt) from svv_table_info where "table" = 'vt'