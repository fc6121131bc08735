create table q3d_t (id int, d date) distkey(id);
drop table q3d_t