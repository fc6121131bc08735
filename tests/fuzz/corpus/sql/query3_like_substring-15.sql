create table q3l_t (id int, s varchar(30)) distkey(id);
select id, s like '%e%' from q3l_t where id in (3, 6, 7)