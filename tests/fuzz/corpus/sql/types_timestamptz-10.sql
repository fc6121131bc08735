create table tz_t (id int, ts timestamptz, t timestamp) distkey(id) sortkey(ts);
select timestamptz '2024-01-01 00:00:00+00' + interval '1 day 2 hours'