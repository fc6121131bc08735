create table q3e_a (id int, k int, x decimal(8,2)) distkey(id);
create table q3e_b (id int, k int) distkey(k);
select id / k from q3e_a where k <> 0