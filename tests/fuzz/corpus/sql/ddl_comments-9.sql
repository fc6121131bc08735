create table cm_t (id int, name varchar(20));
create view cm_v as select id from cm_t;
select a.attname, dsc.description from pg_attribute a join pg_class c on a.attrelid = c.oid left join pg_description dsc on (c.oid = dsc.objoid and a.attnum = dsc.objsubid) where c.relname = 'cm_t' and a.attnum > 0 order by a.attnum