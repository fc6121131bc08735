create table so_a (id int, v varchar(10)) distkey(id);
create table so_b (k bigint, v varchar(10), n numeric(10,2)) distkey(v);
create table so_c (id int, w text) diststyle even;
(select id from so_a union select k from so_b) except select id from so_c