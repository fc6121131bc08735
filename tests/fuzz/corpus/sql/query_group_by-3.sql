create table gb_t (g varchar(5), h int, v int, w double precision);
select avg(w), sum(w) from gb_t