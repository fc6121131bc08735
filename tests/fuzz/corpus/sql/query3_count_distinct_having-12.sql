create table q3h_t (id int, g varchar(3), k int, v decimal(8,2)) distkey(id);
select g, count(distinct k) as cnt from q3h_t where g is not null group by g order by cnt desc, g