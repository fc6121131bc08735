create table tz_t (id int, ts timestamptz, t timestamp) distkey(id) sortkey(ts);
select '2024-01-02 03:04:05+16'::timestamptz