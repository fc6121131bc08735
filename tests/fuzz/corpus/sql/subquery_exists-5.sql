create table sqe_cust (c_id int, c_name varchar(10), c_nation int) distkey(c_id);
create table sqe_orders (o_id int, o_cust int, o_total decimal(10,2)) distkey(o_id);
create table sqe_line (l_order int, l_supp int, l_late boolean) diststyle even;
insert into sqe_line values
  (20, 1, true), (20, 2, false), (20, 2, false),
  (21, 1, true), (21, 3, true),
  (22, 4, true),
  (23, 5, true), (23, 5, true), (23, 6, false),
  (24, 7, false), (24, 8, false)