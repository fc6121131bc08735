create table q3c_t (id int, g varchar(3), v int) distkey(id);
select n from (with c as (select count(*) as n from q3c_t) select n from c) s