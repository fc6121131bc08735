create table dtf_t (id int, d date, ts timestamp, tz timestamptz, n int) distkey(id);
select id from dtf_t where d + interval '1 month' > date '2024-02-28'