create table an_t (a int, b varchar(5), c date) distkey(a);
select "table", tbl_rows from svv_table_info where "table" = 'an_t'