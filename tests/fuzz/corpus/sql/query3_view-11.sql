create table q3v_t (id int, g varchar(3), v int) distkey(id);
create table q3v_g (g varchar(3), label varchar(10)) diststyle all;
create view q3v_big as select id, g, v from q3v_t where v >= 20;
create view q3v_sums (grp, total, n) as select g, sum(v), count(*) from q3v_t group by g;
create view q3v_big_a as select id from q3v_big where g = 'a';
select b.id, b.g, l.label from q3v_big b join q3v_g l on b.g = l.g