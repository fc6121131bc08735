create table so_b (k bigint, v varchar(10), n numeric(10,2)) distkey(v);
create table so_c (id int, w text) diststyle even;
create table so_d (id bigint, v varchar(10)) distkey(id);
create view so_v as select id, v from so_a union select 9, 'nine';
create table so_big1 (a int) distkey(a);
create table so_big2 (b bigint, c int) distkey(c);
select (select count(*) from (select c from so_big2 intersect all select a % 7 from so_big1) s),
       (select count(*) from (select c from so_big2 except all select a % 7 from so_big1) s),
       (select count(*) from (select a % 5 from so_big1 except all select c from so_big2 where c < 3) s)