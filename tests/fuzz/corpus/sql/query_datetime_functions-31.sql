create table dtf_t (id int, d date, ts timestamp, tz timestamptz, n int) distkey(id);
select dateadd(year, 1000000, d) from dtf_t