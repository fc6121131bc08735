create table cf_t (g varchar(5), v varchar(10), n int);
create table cf_empty (g varchar(5), v varchar(10));
select pg_array_text('public', 'a b', NULL, '', 'q"x'), pg_array_text()