create table k_region (r_regionkey int primary key, r_name char(25));
create table k_nation (n_nationkey int, n_name char(25), n_regionkey int references k_region, primary key (n_nationkey), unique (n_name));
create table k_customer (c_custkey int not null, c_nationkey int, constraint cust_pk primary key (c_custkey), foreign key (c_nationkey) references k_nation(n_nationkey));
create table k_emp (id int primary key, boss int references k_emp(id));
select conname, contype, conrelid::regclass, confrelid::regclass, conkey, confkey, pg_get_constraintdef(oid) from pg_constraint where conrelid::regclass like 'k\_%' order by conname