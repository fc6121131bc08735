create table q3p_t (id int, c char(5), v varchar(5)) distkey(id);
create table q3p_u (c char(8), w int) diststyle all