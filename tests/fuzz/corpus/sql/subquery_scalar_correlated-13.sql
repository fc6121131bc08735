create table sqc_part (p_id int, p_name varchar(10), p_size int) distkey(p_id);
create table sqc_ps (ps_part int, ps_supp int, ps_cost decimal(10,2)) distkey(ps_supp);
create table sqc_supp (s_id int, s_name varchar(10), s_region varchar(5)) diststyle all;
create table sqc_line (l_part int, l_qty decimal(10,2), l_price decimal(10,2)) diststyle even;
select p_id, (select count(l_qty) from sqc_line where l_part = p_id), (select count(*) from sqc_line where l_part = p_id) from sqc_part