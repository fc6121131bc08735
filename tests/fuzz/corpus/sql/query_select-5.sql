create table sel_t (a int, b varchar(10), c double precision);
select * from sel_t order by a, b