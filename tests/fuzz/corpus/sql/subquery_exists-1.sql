create table sqe_cust (c_id int, c_name varchar(10), c_nation int) distkey(c_id);
create table sqe_orders (o_id int, o_cust int, o_total decimal(10,2)) distkey(o_id)