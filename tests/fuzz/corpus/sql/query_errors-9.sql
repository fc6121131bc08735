create table er_a (id int, a int);
create table er_b (id int, b int);
selec 1