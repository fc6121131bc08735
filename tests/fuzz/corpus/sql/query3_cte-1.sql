create table q3c_t (id int, g varchar(3), v int) distkey(id);
insert into q3c_t values (1, 'a', 10), (2, 'a', 20), (3, 'b', 30), (4, 'b', 5), (5, 'c', 35), (6, NULL, 1)