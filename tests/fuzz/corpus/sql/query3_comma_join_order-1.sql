create table q3j_region (r_key int, r_name varchar(10)) diststyle all;
create table q3j_nation (n_key int, n_name varchar(10), n_region int) diststyle all