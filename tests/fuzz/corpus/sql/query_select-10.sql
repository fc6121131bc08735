create table sel_t (a int, b varchar(10), c double precision);
select b || '!' from sel_t