create table squ_t (id int, g varchar(3), v int, p decimal(10,2)) distkey(id);
drop table squ_t