create table so_a (id int, v varchar(10)) distkey(id);
create table so_b (k bigint, v varchar(10), n numeric(10,2)) distkey(v);
create table so_c (id int, w text) diststyle even;
insert into so_b values (2, 'y', 1.50), (3, NULL, 2.00), (3, NULL, 2.00), (4, 'w', NULL), (NULL, 'z', 0.25)