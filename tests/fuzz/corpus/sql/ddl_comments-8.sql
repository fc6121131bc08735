create table cm_t (id int, name varchar(20));
create view cm_v as select id from cm_t;
select d.objsubid, d.description from pg_description d join pg_class c on c.oid = d.objoid where c.relname like 'cm\_%' order by 1, 2