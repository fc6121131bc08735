create table jn_orders (o_id int, o_cust int, o_amount decimal(10,2), o_region varchar(10)) distkey(o_id);
create table jn_cust (c_id int, c_name varchar(10), c_nation int) distkey(c_id)