create table tz_t (id int, ts timestamptz, t timestamp) distkey(id) sortkey(ts);
select now() - interval '1 hour' < now(), localtimestamp = now()::timestamp, sysdate <= getdate()