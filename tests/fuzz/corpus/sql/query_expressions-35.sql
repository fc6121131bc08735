create table ex_t (id int, a int, b int, p boolean, q boolean, m decimal(10,3));
select cast('2024-02-29' as date), '2024-02-29 10:11:12'::timestamp