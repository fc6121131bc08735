create table dtf_t (id int, d date, ts timestamp, tz timestamptz, n int) distkey(id);
select id, tz + interval '1 month 2 hours', tz - interval '1 day' from dtf_t order by id