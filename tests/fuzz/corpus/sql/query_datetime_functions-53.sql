create table dtf_t (id int, d date, ts timestamp, tz timestamptz, n int) distkey(id);
select to_char(12.5, '999')