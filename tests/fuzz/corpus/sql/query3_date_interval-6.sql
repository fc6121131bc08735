create table q3d_t (id int, d date) distkey(id);
select id from q3d_t where d <= date '1998-12-01' - interval '90' day