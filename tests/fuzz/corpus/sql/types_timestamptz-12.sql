create table tz_t (id int, ts timestamptz, t timestamp) distkey(id) sortkey(ts);
select column_name, data_type from information_schema.columns where table_name = 'tz_t' order by ordinal_position