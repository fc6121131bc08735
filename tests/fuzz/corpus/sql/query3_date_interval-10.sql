create table q3d_t (id int, d date) distkey(id);
select date '1996-01-31' + interval '1' month = date '1996-02-29'