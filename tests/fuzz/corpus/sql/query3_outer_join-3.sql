create table q3o_c (c_id int, c_name varchar(10)) distkey(c_id);
create table q3o_o (o_id int, o_cust int, o_comment varchar(30)) distkey(o_id);
insert into q3o_o values
  (100, 1, 'fast delivery'), (101, 1, 'special requests here'), (102, 2, 'ok'),
  (103, 3, 'special requests'), (104, 9, 'orphan'), (105, NULL, 'no customer')