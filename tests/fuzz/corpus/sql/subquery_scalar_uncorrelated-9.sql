create table squ_t (id int, g varchar(3), v int, p decimal(10,2)) distkey(id);
select (select count(*) from squ_t), (select max(g) from squ_t)