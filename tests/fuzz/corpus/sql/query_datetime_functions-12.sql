create table dtf_t (id int, d date, ts timestamp, tz timestamptz, n int) distkey(id);
select date_trunc('year', d) as y, count(*) from dtf_t group by 1 order by 1