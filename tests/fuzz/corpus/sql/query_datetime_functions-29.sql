create table dtf_t (id int, d date, ts timestamp, tz timestamptz, n int) distkey(id);
select dateadd(foo, 1, d) from dtf_t