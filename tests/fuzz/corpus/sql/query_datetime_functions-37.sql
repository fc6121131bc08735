create table dtf_t (id int, d date, ts timestamp, tz timestamptz, n int) distkey(id);
select last_day(date '2024-02-10'), last_day('2023-02-10'), last_day(timestamp '2024-12-31 23:00')