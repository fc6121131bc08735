create table dec_t (g int, v decimal(12,2));
select sum(v) from dec_t where v = 0.10