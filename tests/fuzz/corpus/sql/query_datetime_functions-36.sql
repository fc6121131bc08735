create table dtf_t (id int, d date, ts timestamp, tz timestamptz, n int) distkey(id);
select id, add_months(d, n), last_day(d), trunc(ts) from dtf_t order by id