create table ac (id int, name varchar(10), qty int default 7, made date) distkey(id) sortkey(id);
alter table ac add column flag boolean default true