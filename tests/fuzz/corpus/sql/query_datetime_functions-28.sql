create table dtf_t (id int, d date, ts timestamp, tz timestamptz, n int) distkey(id);
select id, dateadd(month, n, d), dateadd(day, n, ts), dateadd(hour, n, tz) from dtf_t order by id