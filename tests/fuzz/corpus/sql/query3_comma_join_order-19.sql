create table q3j_supp (s_key int, s_name varchar(10), s_nation int) distkey(s_key);
create table q3j_cust (c_key int, c_name varchar(10), c_nation int) distkey(c_key);
create table q3j_part (p_key int, p_name varchar(20), p_size int) distkey(p_key);
create table q3j_ps (ps_part int, ps_supp int, ps_cost decimal(10,2)) distkey(ps_part);
create table q3j_orders (o_key int, o_cust int, o_year int) distkey(o_key);
create table q3j_line (l_order int, l_part int, l_supp int, l_qty int, l_price decimal(10,2)) distkey(l_order);
select n_name, sum(l_price) from q3j_region, q3j_nation, q3j_supp, q3j_line, q3j_orders, q3j_cust
where c_key = o_cust and l_order = o_key and l_supp = s_key and c_nation = s_nation
  and s_nation = n_key and n_region = r_key and r_name = 'ASIA'
group by n_name