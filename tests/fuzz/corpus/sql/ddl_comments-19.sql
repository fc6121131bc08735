create table cm_t (id int, name varchar(20));
create view cm_v as select id from cm_t;
select count(*) from pg_description d join pg_class c on c.oid = d.objoid where c.relname like 'cm\_%'