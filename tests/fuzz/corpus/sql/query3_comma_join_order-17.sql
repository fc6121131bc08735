create table q3j_supp (s_key int, s_name varchar(10), s_nation int) distkey(s_key);
create table q3j_cust (c_key int, c_name varchar(10), c_nation int) distkey(c_key);
create table q3j_part (p_key int, p_name varchar(20), p_size int) distkey(p_key);
create table q3j_ps (ps_part int, ps_supp int, ps_cost decimal(10,2)) distkey(ps_part);
create table q3j_orders (o_key int, o_cust int, o_year int) distkey(o_key);
create table q3j_line (l_order int, l_part int, l_supp int, l_qty int, l_price decimal(10,2)) distkey(l_order);
select s_name, n_name, p_name from q3j_part, q3j_supp, q3j_ps, q3j_nation, q3j_region
where p_key = ps_part and s_key = ps_supp and s_nation = n_key and n_region = r_key and r_name = 'EUROPE'