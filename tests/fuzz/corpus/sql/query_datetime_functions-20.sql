create table dtf_t (id int, d date, ts timestamp, tz timestamptz, n int) distkey(id);
select id, d + interval '3 hours' from dtf_t order by id