create table q3o_c (c_id int, c_name varchar(10)) distkey(c_id);
create table q3o_o (o_id int, o_cust int, o_comment varchar(30)) distkey(o_id);
select c.c_id, o.o_id, c2.c_name from q3o_c c left join q3o_o o on c.c_id = o.o_cust join q3o_c c2 on c2.c_id = c.c_id