create table bi_nation (n_nationkey int not null, n_name char(25) not null, n_regionkey int, n_comment varchar(152)) diststyle key distkey(n_nationkey) sortkey(n_nationkey, n_name);
create table bi_region (r_regionkey int, r_name varchar(25) default 'none') diststyle all;
create view bi_v_nation as select n_nationkey, n_name from bi_nation;
select attnum, attname from pg_attribute where attrelid = 'information_schema.key_column_usage'::regclass order by attnum