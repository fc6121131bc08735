create table q3h_t (id int, g varchar(3), k int, v decimal(8,2)) distkey(id);
select g, count(*) from q3h_t group by g having count(*) >= 3