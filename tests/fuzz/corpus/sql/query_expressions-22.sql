create table ex_t (id int, a int, b int, p boolean, q boolean, m decimal(10,3));
select id, m * 2 + 1 from ex_t order by id