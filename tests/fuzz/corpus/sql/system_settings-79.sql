create table st_big (a int);
insert into st_big select a + 128 from st_big