create table q3j_supp (s_key int, s_name varchar(10), s_nation int) distkey(s_key);
create table q3j_cust (c_key int, c_name varchar(10), c_nation int) distkey(c_key);
create table q3j_part (p_key int, p_name varchar(20), p_size int) distkey(p_key);
create table q3j_ps (ps_part int, ps_supp int, ps_cost decimal(10,2)) distkey(ps_part);
create table q3j_orders (o_key int, o_cust int, o_year int) distkey(o_key);
create table q3j_line (l_order int, l_part int, l_supp int, l_qty int, l_price decimal(10,2)) distkey(l_order);
select n1.n_name, n2.n_name, count(*) from q3j_line, q3j_orders, q3j_cust, q3j_nation n1, q3j_supp, q3j_nation n2
where l_order = o_key and o_cust = c_key and c_nation = n1.n_key and l_supp = s_key and s_nation = n2.n_key
group by n1.n_name, n2.n_name