create table gb_t (g varchar(5), h int, v int, w double precision);
select g, count(*), count(v), sum(v), min(v), max(v) from gb_t group by g