create table an_t (a int, b varchar(5), c date) distkey(a);
create table an_all (k int) diststyle all;
select tbl_rows from svv_table_info where "table" = 'an_all'