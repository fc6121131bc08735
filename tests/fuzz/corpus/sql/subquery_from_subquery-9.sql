create table sqf_t (id int, g varchar(3), v int) distkey(id);
create table sqf_g (g varchar(3), label varchar(10)) diststyle all;
select z.w, z.w * 2 from (select y.u + 1 as w from (select v as u from (select v from sqf_t where v is not null) x) y where y.u < 40) z