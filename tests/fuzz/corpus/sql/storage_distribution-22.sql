create table dist_t (a int, b bigint, c varchar(12)) distkey(a) sortkey(a);
select count(*) from stv_slices