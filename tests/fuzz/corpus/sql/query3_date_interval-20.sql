create table q3d_t (id int, d date) distkey(id);
select d from q3d_t where d >= '1998-01-01'