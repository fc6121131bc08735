-- psql 15's meta-commands against Strata's catalog (run by psql_test.sh; output compared with
-- expected/psql_describe.out). Owner names and object ids are Strata's own.
create table lineitem_d (l_orderkey bigint not null, l_quantity decimal(15,2), l_shipdate date, l_comment varchar(44) default 'none', l_flag char(1)) distkey(l_orderkey) sortkey(l_shipdate);
create view big_orders as select l_orderkey, l_quantity from lineitem_d where l_quantity > 40;
create user analyst password 'Secret123';
\dt lineitem*
\d lineitem_d
\d+ lineitem_d
\d big_orders
\dv
\dn
\l
\du
\df
\x
select table_name, column_name, data_type, ordinal_position from information_schema.columns where table_name = 'lineitem_d' order by ordinal_position limit 2;
\x
\copy lineitem_d from 'DATA_DIR/lineitem_in.csv' with (format csv)
select count(*), sum(l_quantity) from lineitem_d;
\copy (select l_orderkey, l_comment from lineitem_d order by l_orderkey) to 'DATA_DIR/lineitem_out.csv' with (format csv)
\timing on
select count(*) from lineitem_d;
\timing off
select "column", type, encoding, distkey, sortkey, "notnull" from pg_table_def where tablename = 'lineitem_d' order by 1;
create table orders_d (o_orderkey bigint primary key, o_note varchar(10));
create table lines_d (l_orderkey bigint references orders_d, l_line int, primary key (l_orderkey, l_line));
\d orders_d
\d lines_d
comment on table orders_d is 'one row per order';
comment on column orders_d.o_note is 'free text';
\dt+ orders_d
\d+ orders_d
\db
\sv big_orders
\dC
