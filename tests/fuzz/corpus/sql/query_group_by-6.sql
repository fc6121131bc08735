create table gb_t (g varchar(5), h int, v int, w double precision);
select g, sum(v) from gb_t group by g order by g