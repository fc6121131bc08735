create table q3o_c (c_id int, c_name varchar(10)) distkey(c_id);
create table q3o_o (o_id int, o_cust int, o_comment varchar(30)) distkey(o_id);
insert into q3o_c values (1, 'ann'), (2, 'bob'), (3, 'cy'), (4, 'dee'), (NULL, 'nul')