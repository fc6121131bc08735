create table q3p_t (id int, c char(5), v varchar(5)) distkey(id);
create table q3p_u (c char(8), w int) diststyle all;
insert into q3p_u values ('ab', 10), ('R', 20), ('abc   ', 30)