create table q3d_t (id int, d date) distkey(id);
select id, extract(year from d) from q3d_t