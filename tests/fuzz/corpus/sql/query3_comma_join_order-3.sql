create table q3j_region (r_key int, r_name varchar(10)) diststyle all;
create table q3j_nation (n_key int, n_name varchar(10), n_region int) diststyle all;
create table q3j_supp (s_key int, s_name varchar(10), s_nation int) distkey(s_key);
create table q3j_cust (c_key int, c_name varchar(10), c_nation int) distkey(c_key)