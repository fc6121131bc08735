create table cf_t (g varchar(5), v varchar(10), n int);
create table cf_empty (g varchar(5), v varchar(10));
select length(listagg(distinct g)), listagg(g) is null from cf_t where n < 4