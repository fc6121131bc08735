create table sys_t (a int, b varchar(10)) distkey(a);
select tbl_rows from svv_table_info where "table" = 'sys_t'