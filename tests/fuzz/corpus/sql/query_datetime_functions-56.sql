create table dtf_t (id int, d date, ts timestamp, tz timestamptz, n int) distkey(id);
drop table dtf_t