create table ex_t (id int, a int, b int, p boolean, q boolean, m decimal(10,3));
select id, coalesce(a, b, 0) from ex_t order by id