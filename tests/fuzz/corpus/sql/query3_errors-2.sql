create table q3e_a (id int, k int, x decimal(8,2)) distkey(id);
create table q3e_b (id int, k int) distkey(k);
insert into q3e_a values (1, 0, 0.00), (2, 2, 1.50)