create table dtf_t (id int, d date, ts timestamp, tz timestamptz, n int) distkey(id);
select date_trunc(ts::text, ts) from dtf_t