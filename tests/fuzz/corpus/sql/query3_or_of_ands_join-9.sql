create table q3q_part (p_key int, p_brand char(10), p_container char(10), p_size int) distkey(p_key);
create table q3q_line (l_part int, l_qty decimal(10,2), l_price decimal(10,2), l_disc decimal(10,2), l_mode char(10), l_instr char(25)) distkey(l_part);
drop table q3q_part