create table q3d_t (id int, d date) distkey(id);
select date '1998-03-31' - interval '1' month = date '1998-02-28'