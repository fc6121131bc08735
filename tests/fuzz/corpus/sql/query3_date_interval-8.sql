create table q3d_t (id int, d date) distkey(id);
select id from q3d_t where d >= date '1994-04-01' and d < date '1994-04-01' + interval '3' month