create table gb_t (g varchar(5), h int, v int, w double precision);
create table gb_empty (a int, b double precision);
select count(*) from gb_t where v > 1000