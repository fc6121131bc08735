create table q3q_part (p_key int, p_brand char(10), p_container char(10), p_size int) distkey(p_key);
create table q3q_line (l_part int, l_qty decimal(10,2), l_price decimal(10,2), l_disc decimal(10,2), l_mode char(10), l_instr char(25)) distkey(l_part);
insert into q3q_line values
  (1, 5.00, 100.00, 0.10, 'AIR', 'DELIVER IN PERSON'),
  (1, 15.00, 200.00, 0.00, 'AIR REG', 'DELIVER IN PERSON'),
  (1, 5.00, 50.00, 0.00, 'TRUCK', 'DELIVER IN PERSON'),
  (2, 12.00, 300.00, 0.05, 'AIR', 'DELIVER IN PERSON'),
  (2, 25.00, 310.00, 0.05, 'AIR', 'DELIVER IN PERSON'),
  (3, 25.00, 400.00, 0.10, 'AIR REG', 'DELIVER IN PERSON'),
  (3, 25.00, 410.00, 0.10, 'AIR REG', 'NONE'),
  (4, 5.00, 70.00, 0.00, 'AIR', 'DELIVER IN PERSON'),
  (5, 20.00, 90.00, 0.20, 'AIR', 'DELIVER IN PERSON'),
  (6, 25.00, 500.00, 0.00, 'AIR', 'DELIVER IN PERSON'),
  (9, 5.00, 999.00, 0.00, 'AIR', 'DELIVER IN PERSON')