create table q3v_t (id int, g varchar(3), v int) distkey(id);
create table q3v_g (g varchar(3), label varchar(10)) diststyle all;
create view q3v_big as select id, g, v from q3v_t where v >= 20;
create view q3v_sums (grp, total, n) as select g, sum(v), count(*) from q3v_t group by g