create table sel_t (a int, b varchar(10), c double precision);
select distinct a, b, c from sel_t