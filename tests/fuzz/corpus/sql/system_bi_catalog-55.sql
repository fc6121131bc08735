create table bi_nation (n_nationkey int not null, n_name char(25) not null, n_regionkey int, n_comment varchar(152)) diststyle key distkey(n_nationkey) sortkey(n_nationkey, n_name);
create table bi_region (r_regionkey int, r_name varchar(25) default 'none') diststyle all;
create view bi_v_nation as select n_nationkey, n_name from bi_nation;
SELECT nspname, typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.oid IN (SELECT DISTINCT enumtypid FROM pg_enum e)