create table du (id int, grp varchar(4), amount decimal(10,2)) distkey(id) sortkey(id);
create table du_keys (k int, label varchar(8)) diststyle even;
select du.id, du_keys.label from du left join du_keys on du.id - 100 = du_keys.k