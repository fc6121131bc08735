create table gb_t (g varchar(5), h int, v int, w double precision);
select count(*), count(v), sum(v), min(v), max(v), count(g) from gb_t