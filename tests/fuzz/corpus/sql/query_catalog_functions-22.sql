create table cf_t (g varchar(5), v varchar(10), n int);
create table cf_empty (g varchar(5), v varchar(10));
select pg_array_quote('plain'), pg_array_quote('a,b'), pg_array_quote('null'), pg_array_quote(NULL)