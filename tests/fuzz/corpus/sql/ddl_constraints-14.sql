create table k_region (r_regionkey int primary key, r_name char(25));
create table k_nation (n_nationkey int, n_name char(25), n_regionkey int references k_region, primary key (n_nationkey), unique (n_name));
create table k_customer (c_custkey int not null, c_nationkey int, constraint cust_pk primary key (c_custkey), foreign key (c_nationkey) references k_nation(n_nationkey));
create table k_emp (id int primary key, boss int references k_emp(id));
create table k_pair (a int, b int, primary key (b, a));
create table k_pair_ref (x int, y int, foreign key (x, y) references k_pair (b, a));
select conname, conkey, confkey from pg_constraint where conrelid in ('k_pair'::regclass, 'k_pair_ref'::regclass) order by 1