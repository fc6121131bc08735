create table tz_t (id int, ts timestamptz, t timestamp) distkey(id) sortkey(ts);
select ts from tz_t where id = 1 and ts between '2024-01-02 01:00:00' and '2024-01-02 02:00:00'