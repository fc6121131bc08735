create table q3c_t (id int, g varchar(3), v int) distkey(id);
drop table q3c_t