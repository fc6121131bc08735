create table gb_t (g varchar(5), h int, v int, w double precision);
create table gb_empty (a int, b double precision);
select count(*), count(a), sum(a), max(a), avg(b) from gb_empty