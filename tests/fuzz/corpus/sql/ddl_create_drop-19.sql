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
create table cd_char (c char(3), v varchar(3));
create table if not exists cd_all (a int);
create table cd_all (x varchar(5) not null, y date);
insert into cd_all values ('abcde', '1999-12-31')