create table q3q_part (p_key int, p_brand char(10), p_container char(10), p_size int) distkey(p_key);
create table q3q_line (l_part int, l_qty decimal(10,2), l_price decimal(10,2), l_disc decimal(10,2), l_mode char(10), l_instr char(25)) distkey(l_part);
select p_key, l_qty, l_price from q3q_line, q3q_part
where (p_key = l_part and p_brand = 'Brand#12' and p_container in ('SM CASE', 'SM BOX', 'SM PACK', 'SM PKG')
       and l_qty >= 1 and l_qty <= 1 + 10 and p_size between 1 and 5
       and l_mode in ('AIR', 'AIR REG') and l_instr = 'DELIVER IN PERSON')
   or (p_key = l_part and p_brand = 'Brand#23' and p_container in ('MED BAG', 'MED BOX', 'MED PKG', 'MED PACK')
       and l_qty >= 10 and l_qty <= 10 + 10 and p_size between 1 and 10
       and l_mode in ('AIR', 'AIR REG') and l_instr = 'DELIVER IN PERSON')
   or (p_key = l_part and p_brand = 'Brand#34' and p_container in ('LG CASE', 'LG BOX', 'LG PACK', 'LG PKG')
       and l_qty >= 20 and l_qty <= 20 + 10 and p_size between 1 and 15
       and l_mode in ('AIR', 'AIR REG') and l_instr = 'DELIVER IN PERSON')