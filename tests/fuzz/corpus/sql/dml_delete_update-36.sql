create table du (id int, grp varchar(4), amount decimal(10,2)) distkey(id) sortkey(id);
create table du_keys (k int, label varchar(8)) diststyle even;
create table du_nn (a int not null, b int);
create table du_copy distkey(id) as select id, amount * 10 as big from du where id > 5;
select id, big from du_copy