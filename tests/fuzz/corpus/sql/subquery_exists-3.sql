create table sqe_cust (c_id int, c_name varchar(10), c_nation int) distkey(c_id);
create table sqe_orders (o_id int, o_cust int, o_total decimal(10,2)) distkey(o_id);
create table sqe_line (l_order int, l_supp int, l_late boolean) diststyle even;
insert into sqe_cust values (1, 'ann', 1), (2, 'bob', 2), (3, 'cy', 1), (4, 'dee', NULL), (5, 'eve', 3), (NULL, 'nul', 1)