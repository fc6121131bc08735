create table ex_t (id int, a int, b int, p boolean, q boolean, m decimal(10,3));
select id, a + b, a * b, a - b from ex_t order by id