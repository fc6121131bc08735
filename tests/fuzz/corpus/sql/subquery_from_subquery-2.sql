create table sqf_t (id int, g varchar(3), v int) distkey(id);
create table sqf_g (g varchar(3), label varchar(10)) diststyle all;
insert into sqf_t values (1, 'a', 10), (2, 'a', 20), (3, 'b', 30), (4, 'b', NULL), (5, 'c', 50), (6, NULL, 60)