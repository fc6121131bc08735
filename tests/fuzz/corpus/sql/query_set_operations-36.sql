create table so_a (id int, v varchar(10)) distkey(id);
create table so_b (k bigint, v varchar(10), n numeric(10,2)) distkey(v);
create table so_c (id int, w text) diststyle even;
with l as (select id from so_a), r as (select k from so_b) select count(*) from (select * from l intersect all select * from r) s