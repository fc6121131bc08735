create table q3d_t (id int, d date) distkey(id);
select extract(year from d) as y, count(*) from q3d_t group by extract(year from d)