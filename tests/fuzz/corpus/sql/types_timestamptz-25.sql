create table tz_t (id int, ts timestamptz, t timestamp) distkey(id) sortkey(ts);
create table clock_t (n timestamptz, s timestamp);
commit