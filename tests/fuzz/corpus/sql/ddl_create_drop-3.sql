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
select c_small, c_int, c_big, c_dec, c_real, c_double, c_bool, c_char, c_varchar, c_date, c_ts, c_req from cd_all