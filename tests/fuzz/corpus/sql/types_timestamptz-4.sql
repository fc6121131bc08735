create table tz_t (id int, ts timestamptz, t timestamp) distkey(id) sortkey(ts);
select id from tz_t where ts = t order by id