create table ex_t (id int, a int, b int, p boolean, q boolean, m decimal(10,3));
select cast('2024-02-30' as date)