create table q3s_t (id int, g varchar(3), a int, b decimal(6,2)) distkey(id);
select id from q3s_t order by a * -1, id