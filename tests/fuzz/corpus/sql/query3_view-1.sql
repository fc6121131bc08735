create table q3v_t (id int, g varchar(3), v int) distkey(id);
create table q3v_g (g varchar(3), label varchar(10)) diststyle all