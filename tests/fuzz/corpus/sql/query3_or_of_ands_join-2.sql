create table q3q_part (p_key int, p_brand char(10), p_container char(10), p_size int) distkey(p_key);
create table q3q_line (l_part int, l_qty decimal(10,2), l_price decimal(10,2), l_disc decimal(10,2), l_mode char(10), l_instr char(25)) distkey(l_part);
insert into q3q_part values
  (1, 'Brand#12', 'SM CASE', 3), (2, 'Brand#23', 'MED BAG', 8), (3, 'Brand#34', 'LG BOX', 12),
  (4, 'Brand#12', 'LG BOX', 3), (5, 'Brand#23', 'SM PKG', 4), (6, 'Brand#34', 'LG PACK', 20)