create table dtf_t (id int, d date, ts timestamp, tz timestamptz, n int) distkey(id);
select dateadd(month, 18, '2008-02-28'), dateadd(m, 30, '2008-02-28')