create table st_big (a int);
insert into st_big select a + 4096 from st_big