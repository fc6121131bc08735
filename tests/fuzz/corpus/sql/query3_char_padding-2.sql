create table q3p_t (id int, c char(5), v varchar(5)) distkey(id);
create table q3p_u (c char(8), w int) diststyle all;
insert into q3p_t values (1, 'ab', 'ab'), (2, 'ab  ', 'ab  '), (3, 'abc', 'abc'), (4, '', ''), (5, NULL, NULL), (6, 'R', 'R')