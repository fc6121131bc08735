create table so_a (id int, v varchar(10)) distkey(id);
create table so_b (k bigint, v varchar(10), n numeric(10,2)) distkey(v);
create table so_c (id int, w text) diststyle even;
select w from so_c where id not in (select id from so_a where id is not null union select k from so_b where k is not null)