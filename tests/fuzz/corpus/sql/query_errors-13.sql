create table er_a (id int, a int);
create table er_b (id int, b int);
alter table er_a alter column a type bigint