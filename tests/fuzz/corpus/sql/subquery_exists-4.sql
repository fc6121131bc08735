create table sqe_cust (c_id int, c_name varchar(10), c_nation int) distkey(c_id);
create table sqe_orders (o_id int, o_cust int, o_total decimal(10,2)) distkey(o_id);
create table sqe_line (l_order int, l_supp int, l_late boolean) diststyle even;
insert into sqe_orders values (10, 1, 5.00), (11, 1, 50.00), (12, 2, 7.50), (13, 3, 100.00), (14, 9, 1.00), (15, NULL, 2.00)