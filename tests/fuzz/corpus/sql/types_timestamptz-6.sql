create table tz_t (id int, ts timestamptz, t timestamp) distkey(id) sortkey(ts);
select count(*), min(ts), max(ts) from tz_t where ts < 'infinity'