create table bi_nation (n_nationkey int not null, n_name char(25) not null, n_regionkey int, n_comment varchar(152)) diststyle key distkey(n_nationkey) sortkey(n_nationkey, n_name);
create table bi_region (r_regionkey int, r_name varchar(25) default 'none') diststyle all;
create view bi_v_nation as select n_nationkey, n_name from bi_nation;
SELECT c.relname, pg_catalog.pg_stat_get_numscans(i.indexrelid) as index_num_scans FROM pg_catalog.pg_index i INNER JOIN pg_catalog.pg_class c ON c.oid=i.indexrelid WHERE i.indrelid='bi_nation'::regclass ORDER BY c.relname