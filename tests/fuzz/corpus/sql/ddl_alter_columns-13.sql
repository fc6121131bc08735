create table ac (id int, name varchar(10), qty int default 7, made date) distkey(id) sortkey(id);
select count(*) from ac where id between 3 and 4