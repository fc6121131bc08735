create table st_big (a int);
set statement_timeout = 50