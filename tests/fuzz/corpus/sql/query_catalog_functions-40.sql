create table cf_t (g varchar(5), v varchar(10), n int);
create table cf_empty (g varchar(5), v varchar(10));
select listagg(v, ',') within group (order by v) from cf_t