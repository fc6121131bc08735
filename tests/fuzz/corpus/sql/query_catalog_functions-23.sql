create table cf_t (g varchar(5), v varchar(10), n int);
create table cf_empty (g varchar(5), v varchar(10));
select '{' || listagg(pg_array_quote(v), ',') || '}' in ('{z,NULL}', '{NULL,z}') from cf_t where g = 'b'