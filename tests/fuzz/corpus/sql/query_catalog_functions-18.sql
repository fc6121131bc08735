create table cf_t (g varchar(5), v varchar(10), n int);
create table cf_empty (g varchar(5), v varchar(10));
select array_to_string('{a,NULL,"b c"}', ','), array_to_string('{a,NULL,"b c"}', ',', '*'), array_to_string('{}', ','), array_to_string('{a}', NULL)