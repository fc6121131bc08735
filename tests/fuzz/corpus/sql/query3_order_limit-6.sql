create table q3s_t (id int, g varchar(3), a int, b decimal(6,2)) distkey(id);
select id, a * 10 + id as score from q3s_t where a is not null order by score desc