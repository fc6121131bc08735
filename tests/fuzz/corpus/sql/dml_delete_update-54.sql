create table du_keys (k int, label varchar(8)) diststyle even;
create table du_nn (a int not null, b int);
create table du_copy distkey(id) as select id, amount * 10 as big from du where id > 5;
create table du_like (like du);
create table du_multi (k int, v int) diststyle even;
create table du_src (k int, v int) diststyle even;
update du_multi set v = du_src.v from du_src where du_multi.k = du_src.k