create table st_big (a int);
select count(*) from st_big x, st_big y where x.a + y.a = -1