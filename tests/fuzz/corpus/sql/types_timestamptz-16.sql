create table tz_t (id int, ts timestamptz, t timestamp) distkey(id) sortkey(ts);
select '2024-13-02 03:04:05+01'::timestamptz