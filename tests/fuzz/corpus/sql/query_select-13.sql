create table sel_t (a int, b varchar(10), c double precision);
select a from sel_t where a > 100