create table q3c_t (id int, g varchar(3), v int) distkey(id);
with big as (select id, v from q3c_t where v > 15) select id, v from big