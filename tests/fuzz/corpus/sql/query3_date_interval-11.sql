create table q3d_t (id int, d date) distkey(id);
select date '1996-02-29' + interval '1' year = date '1997-02-28'