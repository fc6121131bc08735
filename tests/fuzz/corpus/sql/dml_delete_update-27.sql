create table du (id int, grp varchar(4), amount decimal(10,2)) distkey(id) sortkey(id);
create table du_keys (k int, label varchar(8)) diststyle even;
create table du_nn (a int not null, b int);
update du set id = 1, id = 2