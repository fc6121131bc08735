create table sys_t (a int, b varchar(10)) distkey(a);
select "table", tbl_rows from svv_table_info where "table" = 'sys_t'