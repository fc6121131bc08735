create table dist_t (a int, b bigint, c varchar(12)) distkey(a) sortkey(a);
select count(distinct s.node) from stv_blocklist b join stv_slices s on b.slice = s.slice