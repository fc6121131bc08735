create table sqi_a (id int, k int, s varchar(5)) distkey(id);
create table sqi_b (k int, tag varchar(5)) distkey(k);
create table sqi_nonull (k int) diststyle all;
create table sqi_line (l_order int, l_qty int) distkey(l_order);
insert into sqi_line values (100, 10), (100, 25), (101, 5), (102, 30), (102, 1), (102, 4), (103, 40)