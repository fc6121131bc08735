create table squ_t (id int, g varchar(3), v int, p decimal(10,2)) distkey(id);
select g, count(*) from squ_t group by g having count(*) > (select count(*) from squ_t where v > 45)