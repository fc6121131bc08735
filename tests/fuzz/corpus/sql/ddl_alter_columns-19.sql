create table ac (id int, name varchar(10), qty int default 7, made date) distkey(id) sortkey(id);
select id, flag from ac order by id limit 1