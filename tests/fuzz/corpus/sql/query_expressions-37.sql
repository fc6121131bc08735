create table ex_t (id int, a int, b int, p boolean, q boolean, m decimal(10,3));
select cast('1.25' as double precision) + 1