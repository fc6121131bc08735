create table sqc_part (p_id int, p_name varchar(10), p_size int) distkey(p_id);
create table sqc_ps (ps_part int, ps_supp int, ps_cost decimal(10,2)) distkey(ps_supp);
create table sqc_supp (s_id int, s_name varchar(10), s_region varchar(5)) diststyle all;
create table sqc_line (l_part int, l_qty decimal(10,2), l_price decimal(10,2)) diststyle even;
select cast(sum(l_price) / 7.0 as decimal(15,2)) from sqc_line, sqc_part
where p_id = l_part and p_size = 5 and l_qty < (select 0.5 * avg(l_qty) from sqc_line where l_part = p_id)