create table dtf_t (id int, d date, ts timestamp, tz timestamptz, n int) distkey(id);
select id from dtf_t o where exists (select 1 from dtf_t i where i.id = o.id and datediff(day, i.d, i.ts) > 0)