create table du (id int, grp varchar(4), amount decimal(10,2)) distkey(id) sortkey(id);
create table du_keys (k int, label varchar(8)) diststyle even;
update du set grp = du_keys.label from du_keys where du.id = du_keys.k