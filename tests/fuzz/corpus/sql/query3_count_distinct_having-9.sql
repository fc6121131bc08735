create table q3h_t (id int, g varchar(3), k int, v decimal(8,2)) distkey(id);
select g, max(v) from q3h_t group by g having g <> 'a' and (max(v) > 8 or min(v) < 5)