create table st_big (a int);
select count(*) from st_big