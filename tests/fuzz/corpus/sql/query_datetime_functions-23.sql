create table dtf_t (id int, d date, ts timestamp, tz timestamptz, n int) distkey(id);
select id, ts + interval '1 day' * 2 from dtf_t where id < 4 order by id