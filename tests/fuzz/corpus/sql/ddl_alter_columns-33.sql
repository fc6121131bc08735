create table ac (id int, name varchar(10), qty int default 7, made date) distkey(id) sortkey(id);
create table ad (k int, at int default 6 * 7, tag varchar(4) default 'x');
select k, at, tag from ad