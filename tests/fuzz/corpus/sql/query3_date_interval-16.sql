create table q3d_t (id int, d date) distkey(id);
select id from q3d_t where d between date '1995-01-01' - interval '1' year and date '1994-12-31'