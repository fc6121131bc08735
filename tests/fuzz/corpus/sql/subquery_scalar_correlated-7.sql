create table sqc_part (p_id int, p_name varchar(10), p_size int) distkey(p_id);
create table sqc_ps (ps_part int, ps_supp int, ps_cost decimal(10,2)) distkey(ps_supp);
create table sqc_supp (s_id int, s_name varchar(10), s_region varchar(5)) diststyle all;
create table sqc_line (l_part int, l_qty decimal(10,2), l_price decimal(10,2)) diststyle even;
insert into sqc_line values
  (1, 1.00, 10.00), (1, 10.00, 100.00), (1, 10.00, 90.00), (1, 19.00, 200.00),
  (2, 2.00, 20.00), (2, 2.00, 22.00),
  (3, 1.00, 5.00), (3, 30.00, 150.00),
  (5, NULL, 8.00)