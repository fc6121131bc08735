create table tz_t (id int, ts timestamptz, t timestamp) distkey(id) sortkey(ts);
select id from tz_t where ts > '2024-01-02 02:00:00+01' order by id