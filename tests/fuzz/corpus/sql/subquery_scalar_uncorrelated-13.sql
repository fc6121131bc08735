create table squ_t (id int, g varchar(3), v int, p decimal(10,2)) distkey(id);
select id from squ_t where v = (select v from squ_t where g = 'a')