create table sys_t (a int, b varchar(10)) distkey(a);
select sum(b.num_values) from stv_blocklist b join svv_table_info i on b.tbl = i.table_id where i."table" = 'sys_t' and b.col = 1