create table q3l_t (id int, s varchar(30)) distkey(id);
select id, substring(s from 1 for 2) from q3l_t where id in (1, 6, 7, 10)