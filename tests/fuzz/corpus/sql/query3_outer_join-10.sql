create table q3o_c (c_id int, c_name varchar(10)) distkey(c_id);
create table q3o_o (o_id int, o_cust int, o_comment varchar(30)) distkey(o_id);
select c_count, count(*) as custdist
from (select c_id, count(o_id) from q3o_c left outer join q3o_o on c_id = o_cust and o_comment not like '%special%requests%' group by c_id) as c_orders (c_id, c_count)
group by c_count order by custdist desc, c_count desc