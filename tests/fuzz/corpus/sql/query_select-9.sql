create table sel_t (a int, b varchar(10), c double precision);
select distinct a from sel_t