create table gb_t (g varchar(5), h int, v int, w double precision);
select g, h, sum(v), avg(w) from gb_t group by g, h