create table sel_t (a int, b varchar(10), c double precision);
select a * 10, a + a, c * 2 from sel_t