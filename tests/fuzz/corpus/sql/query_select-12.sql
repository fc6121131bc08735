create table sel_t (a int, b varchar(10), c double precision);
select count(*) from sel_t