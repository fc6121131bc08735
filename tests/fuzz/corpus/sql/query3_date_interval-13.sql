create table q3d_t (id int, d date) distkey(id);
select id from q3d_t where d < date '1996-01-31' + interval '1' month