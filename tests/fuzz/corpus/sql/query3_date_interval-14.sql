create table q3d_t (id int, d date) distkey(id);
select date '1994-12-31' + interval '1' day = date '1995-01-01'