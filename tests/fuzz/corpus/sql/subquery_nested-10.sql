create table sqn_part (p_key int, p_name varchar(20)) distkey(p_key);
create table sqn_supp (s_key bigint, s_name varchar(10), s_comment varchar(30)) distkey(s_key);
create table sqn_ps (ps_part int, ps_supp int, ps_avail int) distkey(ps_supp);
create table sqn_line (l_order int, l_part int, l_supp int, l_qty int, l_commit date, l_receipt date) distkey(l_order);
create table sqn_cust (c_key int, c_phone char(15), c_bal decimal(10,2)) distkey(c_key);
create table sqn_orders (o_key int, o_cust int, o_prio varchar(10)) distkey(o_cust);
insert into sqn_cust values
  (1, '13-111-1111', 100.00), (2, '31-222-2222', 900.00), (3, '13-333-3333', 1000.00),
  (4, '23-444-4444', 700.00), (5, '31-555-5555', -50.00), (6, '29-666-6666', 800.00)