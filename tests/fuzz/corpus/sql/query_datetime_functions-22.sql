create table dtf_t (id int, d date, ts timestamp, tz timestamptz, n int) distkey(id);
select timestamp '2024-01-31 10:00' + interval '1 month' * 2, timestamp '2024-01-01' - 3 * interval '1 day'