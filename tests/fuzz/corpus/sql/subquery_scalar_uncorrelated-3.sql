create table squ_t (id int, g varchar(3), v int, p decimal(10,2)) distkey(id);
select id from squ_t where p < (select avg(p) from squ_t) and v is not null