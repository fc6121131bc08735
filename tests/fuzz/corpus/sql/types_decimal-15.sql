create table dec_t (g int, v decimal(12,2));
select sum(v * 3) from dec_t where g = 1