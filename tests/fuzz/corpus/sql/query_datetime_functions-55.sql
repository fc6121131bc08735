create table dtf_t (id int, d date, ts timestamp, tz timestamptz, n int) distkey(id);
select count(*) from dtf_t where id in (select id from dtf_t where dateadd(month, 1, d) > '2024-01-01')