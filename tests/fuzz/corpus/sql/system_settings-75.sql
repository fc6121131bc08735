create table st_big (a int);
insert into st_big select a + 8 from st_big