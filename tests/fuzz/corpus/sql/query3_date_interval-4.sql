create table q3d_t (id int, d date) distkey(id);
select extract(month from date '1994-06-15'), extract(day from date '1994-06-15')