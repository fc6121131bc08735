create table sel_t (a int, b varchar(10), c double precision);
select a, b, c from sel_t