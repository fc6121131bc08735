create table ac (id int, name varchar(10), qty int default 7, made date) distkey(id) sortkey(id);
create table ad (k int, at int default 6 * 7, tag varchar(4) default 'x');
create table ad_like (like ad including defaults);
create table ad_plain (like ad);
create table ac_all (k int, v varchar(4)) diststyle all;
drop table ad