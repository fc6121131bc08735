create table cf_t (g varchar(5), v varchar(10), n int);
create table cf_empty (g varchar(5), v varchar(10));
select array_upper('{a,b,c}', 1), array_upper('{}', 1), cardinality('{a,NULL}'), cardinality('{}')