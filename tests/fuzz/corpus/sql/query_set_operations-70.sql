create table so_c (id int, w text) diststyle even;
create table so_d (id bigint, v varchar(10)) distkey(id);
create view so_v as select id, v from so_a union select 9, 'nine';
create table so_big1 (a int) distkey(a);
create table so_big2 (b bigint, c int) distkey(c);
create table so_e1 (id int, v varchar(10)) distkey(id);
create table so_e2 (id int, v varchar(10)) distkey(v)