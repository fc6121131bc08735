create table st_big (a int);
insert into st_big select a + 2048 from st_big