create table q3s_t (id int, g varchar(3), a int, b decimal(6,2)) distkey(id);
select id, b from q3s_t order by b desc, id