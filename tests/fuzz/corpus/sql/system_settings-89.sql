create table st_big (a int);
drop table st_big