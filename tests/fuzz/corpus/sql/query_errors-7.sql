create table er_a (id int, a int);
create table er_b (id int, b int);
select id from er_a, er_b