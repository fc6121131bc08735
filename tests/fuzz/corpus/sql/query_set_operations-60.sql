create table so_b (k bigint, v varchar(10), n numeric(10,2)) distkey(v);
create table so_c (id int, w text) diststyle even;
create table so_d (id bigint, v varchar(10)) distkey(id);
create view so_v as select id, v from so_a union select 9, 'nine';
create table so_big1 (a int) distkey(a);
create table so_big2 (b bigint, c int) distkey(c);
insert into so_big1 select a + 128 from so_big1