create table q3l_t (id int, s varchar(30)) distkey(id);
select id from q3l_t where s like 'forest%'