create table q3s_t (id int, g varchar(3), a int, b decimal(6,2)) distkey(id);
drop table q3s_t