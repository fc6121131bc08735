create table q3l_t (id int, s varchar(30)) distkey(id);
select substring('hello' from 0 for 3)