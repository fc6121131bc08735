create table ex_t (id int, a int, b int, p boolean, q boolean, m decimal(10,3));
select null is null, 1 is not null