create table sqn_part (p_key int, p_name varchar(20)) distkey(p_key);
create table sqn_supp (s_key bigint, s_name varchar(10), s_comment varchar(30)) distkey(s_key);
create table sqn_ps (ps_part int, ps_supp int, ps_avail int) distkey(ps_supp);
create table sqn_line (l_order int, l_part int, l_supp int, l_qty int, l_commit date, l_receipt date) distkey(l_order)