create table q3w_t (id int, i int, b bigint, price decimal(15,2), disc decimal(15,2), tax decimal(15,2)) distkey(id);
drop table q3w_t