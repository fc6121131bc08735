create table tz_t (id int, ts timestamptz, t timestamp) distkey(id) sortkey(ts);
select id, ts::timestamp, ts::date, t::timestamptz from tz_t where id in (1, 4, 6, 9) order by id