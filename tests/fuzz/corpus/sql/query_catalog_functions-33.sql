create table cf_t (g varchar(5), v varchar(10), n int);
create table cf_empty (g varchar(5), v varchar(10));
select g, listagg(v, ',') in ('x,y', 'y,x'), string_agg(v, '-') in ('x-y', 'y-x') from cf_t where g = 'a' group by g