create table dtf_t (id int, d date, ts timestamp, tz timestamptz, n int) distkey(id);
select to_char(timestamp '2024-03-07 00:05:09', 'HH12 AM "quoted YYYY" \"x Y,YYY DDth DDTH FMDDth')