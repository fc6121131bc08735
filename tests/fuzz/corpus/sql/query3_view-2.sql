create table q3v_t (id int, g varchar(3), v int) distkey(id);
create table q3v_g (g varchar(3), label varchar(10)) diststyle all;
insert into q3v_t values (1, 'a', 10), (2, 'a', 20), (3, 'b', 30), (4, 'c', NULL)