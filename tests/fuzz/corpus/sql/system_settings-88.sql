create table st_big (a int);
reset statement_timeout