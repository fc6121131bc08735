create table sqn_part (p_key int, p_name varchar(20)) distkey(p_key);
create table sqn_supp (s_key bigint, s_name varchar(10), s_comment varchar(30)) distkey(s_key);
create table sqn_ps (ps_part int, ps_supp int, ps_avail int) distkey(ps_supp);
create table sqn_line (l_order int, l_part int, l_supp int, l_qty int, l_commit date, l_receipt date) distkey(l_order);
create table sqn_cust (c_key int, c_phone char(15), c_bal decimal(10,2)) distkey(c_key);
create table sqn_orders (o_key int, o_cust int, o_prio varchar(10)) distkey(o_cust);
select ps_part, ps_supp from sqn_ps where exists (select 1 from sqn_supp where s_key = ps_supp and s_name <> 'S13')