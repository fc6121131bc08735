create table st_big (a int);
insert into st_big values (1), (2), (3), (4), (5), (6), (7), (8)