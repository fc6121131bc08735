create table q3s_t (id int, g varchar(3), a int, b decimal(6,2)) distkey(id);
select id, a from q3s_t order by a nulls first, id limit 3