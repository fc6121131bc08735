create table sqi_a (id int, k int, s varchar(5)) distkey(id);
create table sqi_b (k int, tag varchar(5)) distkey(k);
create table sqi_nonull (k int) diststyle all;
create table sqi_line (l_order int, l_qty int) distkey(l_order);
select l_order, sum(l_qty) from sqi_line where l_order in (select l_order from sqi_line group by l_order having sum(l_qty) > 30) group by l_order