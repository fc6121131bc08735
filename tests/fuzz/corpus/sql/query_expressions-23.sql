create table ex_t (id int, a int, b int, p boolean, q boolean, m decimal(10,3));
select id, p and q, p or q, not q, q is null, q is not null from ex_t order by id