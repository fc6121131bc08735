create table dtf_t (id int, d date, ts timestamp, tz timestamptz, n int) distkey(id);
select to_char(timestamp '2024-03-07 14:05:09', 'FMMonth FMDay FMDD FMHH12 HH12 HH AM am P.M. p.m.')