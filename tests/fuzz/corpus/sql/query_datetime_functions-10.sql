create table dtf_t (id int, d date, ts timestamp, tz timestamptz, n int) distkey(id);
select date_trunc('month', date '2024-05-17'), date_trunc('week', '2024-05-19')