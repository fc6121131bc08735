create table q3d_t (id int, d date) distkey(id);
select date '1995-01-01' - date '1994-01-01'