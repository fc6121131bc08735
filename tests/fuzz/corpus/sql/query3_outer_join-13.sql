create table q3o_c (c_id int, c_name varchar(10)) distkey(c_id);
create table q3o_o (o_id int, o_cust int, o_comment varchar(30)) distkey(o_id);
select c_id, count(*), max(o_comment) from q3o_c left join q3o_o on c_id = o_cust group by c_id