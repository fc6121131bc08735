create table q3c_t (id int, g varchar(3), v int) distkey(id);
with m as (select g, max(v) as mv from q3c_t group by g)
select q3c_t.id, q3c_t.g, m.mv from q3c_t, m where q3c_t.g = m.g and q3c_t.v = m.mv