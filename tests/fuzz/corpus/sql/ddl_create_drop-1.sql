create table cd_all (
  c_small smallint,
  c_int integer,
  c_big bigint,
  c_dec decimal(10,2),
  c_real real,
  c_double double precision,
  c_bool boolean,
  c_char char(3),
  c_varchar varchar(20),
  c_date date,
  c_ts timestamp,
  c_req integer not null
);
insert into cd_all values (-32768, 2147483647, -9223372036854775808, 12345678.90, 1.5, -2.25, true, 'abc', 'hello world', '2024-02-29', '2024-02-29 13:45:07', 1)