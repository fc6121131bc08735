create table sys_t (a int, b varchar(10)) distkey(a);
select slice, col, tbl, blocknum, num_values, minvalue, maxvalue from stv_blocklist where slice < 0