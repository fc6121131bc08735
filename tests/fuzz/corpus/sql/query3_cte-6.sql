create table q3c_t (id int, g varchar(3), v int) distkey(id);
with t as (select id, v from q3c_t where g in ('a', 'b'))
select x.id, y.id from t x join t y on x.v * 2 = y.v