create table sqe_cust (c_id int, c_name varchar(10), c_nation int) distkey(c_id);
create table sqe_orders (o_id int, o_cust int, o_total decimal(10,2)) distkey(o_id);
create table sqe_line (l_order int, l_supp int, l_late boolean) diststyle even;
select c_id from sqe_cust c where c.c_nation = 1 and exists (select 1 from sqe_orders o where o.o_cust = c.c_id)