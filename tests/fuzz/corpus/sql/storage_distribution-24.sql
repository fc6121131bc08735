create table dist_t (a int, b bigint, c varchar(12)) distkey(a) sortkey(a);
select count(distinct b.slice) from stv_blocklist b join svv_table_info i on b.tbl = i.table_id where i."table" = 'dist_t'