create table sqi_a (id int, k int, s varchar(5)) distkey(id);
create table sqi_b (k int, tag varchar(5)) distkey(k);
create table sqi_nonull (k int) diststyle all;
create table sqi_line (l_order int, l_qty int) distkey(l_order);
insert into sqi_a values (1, 1, 'x'), (2, 2, 'y'), (3, 3, 'x'), (4, NULL, 'z'), (5, 5, NULL), (6, 2, 'y')