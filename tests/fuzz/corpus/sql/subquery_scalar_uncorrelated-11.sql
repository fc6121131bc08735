create table squ_t (id int, g varchar(3), v int, p decimal(10,2)) distkey(id);
select id, (select g from squ_t where id = 99) from squ_t where id = 1