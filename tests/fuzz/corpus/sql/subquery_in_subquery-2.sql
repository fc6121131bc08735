create table sqi_a (id int, k int, s varchar(5)) distkey(id);
create table sqi_b (k int, tag varchar(5)) distkey(k);
create table sqi_nonull (k int) diststyle all