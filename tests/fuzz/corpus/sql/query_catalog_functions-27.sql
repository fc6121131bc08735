create table cf_t (g varchar(5), v varchar(10), n int);
create table cf_empty (g varchar(5), v varchar(10));
select strpos('hello', 'll'), strpos('hello', ''), strpos('a', 'b'), left('hello', 2), left('hello', -2), right('hello', 2), right('hello', -2)