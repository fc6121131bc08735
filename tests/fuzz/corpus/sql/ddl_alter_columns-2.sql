create table ac (id int, name varchar(10), qty int default 7, made date) distkey(id) sortkey(id);
insert into ac values (4, 'd', 40, '2024-01-04')