create table gb_t (g varchar(5), h int, v int, w double precision);
select h, count(*) from gb_t where v > 6 group by h