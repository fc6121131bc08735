create table ac (id int, name varchar(10), qty int default 7, made date) distkey(id) sortkey(id);
insert into ac (id, name) values (3, 'c'), (1, 'a'), (2, 'b')