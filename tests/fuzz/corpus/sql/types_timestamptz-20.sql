create table tz_t (id int, ts timestamptz, t timestamp) distkey(id) sortkey(ts);
select extract(microsecond from current_timestamp(0)) % 1000000 = 0