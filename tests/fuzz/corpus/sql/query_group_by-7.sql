create table gb_t (g varchar(5), h int, v int, w double precision);
select count(*), max(g) from gb_t group by h