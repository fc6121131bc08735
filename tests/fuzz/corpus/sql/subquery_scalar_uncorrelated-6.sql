create table squ_t (id int, g varchar(3), v int, p decimal(10,2)) distkey(id);
select g, sum(p) from squ_t group by g having sum(p) > (select sum(p) * 0.2 from squ_t)