create table ac (id int, name varchar(10), qty int default 7, made date) distkey(id) sortkey(id);
select id, price from ac where id = 5