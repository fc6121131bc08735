create table sqi_a (id int, k int, s varchar(5)) distkey(id);
create table sqi_b (k int, tag varchar(5)) distkey(k);
create table sqi_nonull (k int) diststyle all;
create table sqi_line (l_order int, l_qty int) distkey(l_order);
select id from sqi_a where k in (select k from sqi_b where tag = 'p') and s = 'y'