create table q3l_t (id int, s varchar(30)) distkey(id);
select substring('13-555-0101' from 4 for 3)