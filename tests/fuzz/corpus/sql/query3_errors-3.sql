create table q3e_a (id int, k int, x decimal(8,2)) distkey(id);
create table q3e_b (id int, k int) distkey(k);
insert into q3e_b values (1, 1)