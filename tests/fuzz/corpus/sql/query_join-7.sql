create table jn_orders (o_id int, o_cust int, o_amount decimal(10,2), o_region varchar(10)) distkey(o_id);
create table jn_cust (c_id int, c_name varchar(10), c_nation int) distkey(c_id);
create table jn_nation (n_id int, n_name varchar(10)) diststyle all;
create table jn_even_a (k int, va varchar(5)) diststyle even;
create table jn_even_b (k int, vb varchar(5)) diststyle even;
insert into jn_orders values
  (100, 1, 10.00, 'north'),
  (101, 1, 20.50, 'south'),
  (102, 2, 5.25, 'north'),
  (103, 3, 100.00, 'east'),
  (104, 9, 1.00, 'west'),
  (105, NULL, 2.00, 'west'),
  (106, 5, 0.75, 'east'),
  (107, 3, 3.00, 'north')