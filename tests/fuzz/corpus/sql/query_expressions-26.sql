create table ex_t (id int, a int, b int, p boolean, q boolean, m decimal(10,3));
select id, case when a > 5 then 'big' when a < 0 then 'negative' else 'small' end from ex_t order by id