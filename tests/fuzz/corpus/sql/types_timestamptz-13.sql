create table tz_t (id int, ts timestamptz, t timestamp) distkey(id) sortkey(ts);
select count(*), ts from tz_t where id in (1, 10) or ts = '2024-01-02 04:04:05+03' group by ts order by ts