create table q3s_t (id int, g varchar(3), a int, b decimal(6,2)) distkey(id);
select g, sum(b * (1 - 0.1)) as revenue from q3s_t group by g order by revenue desc, g limit 2