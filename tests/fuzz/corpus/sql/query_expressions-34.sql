create table ex_t (id int, a int, b int, p boolean, q boolean, m decimal(10,3));
select cast(7 as varchar), 42::varchar(10) || 'x', '3.14159'::decimal(6,2)