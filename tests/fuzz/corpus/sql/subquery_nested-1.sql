create table sqn_part (p_key int, p_name varchar(20)) distkey(p_key);
create table sqn_supp (s_key bigint, s_name varchar(10), s_comment varchar(30)) distkey(s_key)