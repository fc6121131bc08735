create table tz_t (id int, ts timestamptz, t timestamp) distkey(id) sortkey(ts);
select id, ts from tz_t order by id