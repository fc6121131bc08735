create table q3h_t (id int, g varchar(3), k int, v decimal(8,2)) distkey(id);
select count(distinct k), count(distinct g) from q3h_t where id > 3