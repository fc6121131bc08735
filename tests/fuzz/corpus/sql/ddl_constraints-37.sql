create table k_emp (id int primary key, boss int references k_emp(id));
create table k_pair (a int, b int, primary key (b, a));
create table k_pair_ref (x int, y int, foreign key (x, y) references k_pair (b, a));
create table k_tx (a int primary key);
create table k_p (a int, b int, primary key (b));
create table k_c (x int references k_p (b));
select confkey, pg_get_constraintdef(oid) from pg_constraint where conrelid = 'k_c'::regclass