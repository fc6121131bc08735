create table sel_t (a int, b varchar(10), c double precision);
select t.a as alias_a, t.b from sel_t as t where t.a = 1