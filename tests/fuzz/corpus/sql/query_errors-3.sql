create table er_a (id int, a int);
create table er_b (id int, b int);
select a from er_a where missing_col = 1