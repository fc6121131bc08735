create table dec_t (g int, v decimal(12,2));
select avg(v) from dec_t where g = 2