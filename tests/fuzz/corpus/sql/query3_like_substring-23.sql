create table q3l_t (id int, s varchar(30)) distkey(id);
drop table q3l_t