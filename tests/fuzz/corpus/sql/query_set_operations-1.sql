create table so_a (id int, v varchar(10)) distkey(id);
create table so_b (k bigint, v varchar(10), n numeric(10,2)) distkey(v)