create table tz_t (id int, ts timestamptz, t timestamp) distkey(id) sortkey(ts);
insert into tz_t values (11, 'not a time', null)