create table zm_digits (x int);
insert into zm_digits values (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)