create table tz_t (id int, ts timestamptz, t timestamp) distkey(id) sortkey(ts);
select 'x'::timestamptz