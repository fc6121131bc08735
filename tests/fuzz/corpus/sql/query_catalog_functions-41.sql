create table cf_t (g varchar(5), v varchar(10), n int);
create table cf_empty (g varchar(5), v varchar(10));
select array_remove('{a,b,a,NULL}', 'a'), array_remove('{a,NULL}', NULL), array_remove('{"x y",z}', 'z'), pg_tablespace_location(1663)