create table tz_t (id int, ts timestamptz, t timestamp) distkey(id) sortkey(ts);
select '2024-03-10 10:00:00-05'::timestamptz::text, cast('2024-03-10' as date)::timestamptz