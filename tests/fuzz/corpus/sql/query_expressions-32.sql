create table ex_t (id int, a int, b int, p boolean, q boolean, m decimal(10,3));
select cast('12' as int) + 1, '40'::bigint * 2, cast(3.7 as int)