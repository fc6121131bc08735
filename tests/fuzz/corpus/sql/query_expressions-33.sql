create table ex_t (id int, a int, b int, p boolean, q boolean, m decimal(10,3));
select cast(-3.7 as integer), cast(2.5 as int)