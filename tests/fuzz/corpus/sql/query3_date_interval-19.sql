create table q3d_t (id int, d date) distkey(id);
select id from q3d_t where d + 1 = date '1995-01-01'