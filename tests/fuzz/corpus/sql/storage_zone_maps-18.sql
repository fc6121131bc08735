create table zm_digits (x int);
create table zm_thousand as select a.x * 100 + b.x * 10 + c.x as x from zm_digits a, zm_digits b, zm_digits c;
create table zm (a bigint encode raw, b bigint encode az64, c varchar(8)) diststyle all sortkey(a);
select sum(rows), sum(rows_pre_filter) from stl_scan where query = pg_last_query_id()