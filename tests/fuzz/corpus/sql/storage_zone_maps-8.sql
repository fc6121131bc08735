create table zm_digits (x int);
create table zm_thousand as select a.x * 100 + b.x * 10 + c.x as x from zm_digits a, zm_digits b, zm_digits c;
create table zm (a bigint encode raw, b bigint encode az64, c varchar(8)) diststyle all sortkey(a);
select sum(case when col = 1 then 1 else 0 end) * 4 < sum(case when col = 0 then 1 else 0 end), sum(case when col = 0 then 1 else 0 end) from stv_blocklist where tbl = (select table_id from svv_table_info where "table" = 'zm')