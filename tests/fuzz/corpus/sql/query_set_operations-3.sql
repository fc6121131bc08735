create table so_a (id int, v varchar(10)) distkey(id);
create table so_b (k bigint, v varchar(10), n numeric(10,2)) distkey(v);
create table so_c (id int, w text) diststyle even;
insert into so_a values (1, 'x'), (2, 'y'), (2, 'y'), (3, NULL), (NULL, 'z'), (NULL, 'z')