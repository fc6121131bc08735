create table ra_key (a int, b varchar(10)) diststyle key distkey(a) sortkey(b);
create table ra_all (a int, b varchar(10)) diststyle all;
create table ra_auto (a int, b varchar(10)) diststyle auto;
create table ra_distkey_only (a int, b bigint) distkey(b) compound sortkey(a, b);
create table ra_column_level (a int sortkey, b bigint distkey, c varchar(5));
create table ra_encoded (
  a int encode az64,
  b varchar(20) encode lzo,
  c varchar(20) encode zstd,
  d int encode raw,
  e varchar(20) encode bytedict,
  f bigint encode delta,
  g int encode runlength
) distkey(a) sortkey(a);
select "table", sortkey1 from svv_table_info where "table" in ('ra_key', 'ra_distkey_only', 'ra_column_level', 'ra_encoded') order by "table"