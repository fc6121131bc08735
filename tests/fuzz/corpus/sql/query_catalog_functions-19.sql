create table cf_t (g varchar(5), v varchar(10), n int);
create table cf_empty (g varchar(5), v varchar(10));
select pg_array_element('{a,NULL,"b c"}', 3), pg_array_element('{a,NULL,"b c"}', 2), pg_array_element('{a,b}', 5)