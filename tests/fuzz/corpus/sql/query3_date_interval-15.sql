create table q3d_t (id int, d date) distkey(id);
select date '1995-03-01' - interval '1' day = date '1995-02-28'