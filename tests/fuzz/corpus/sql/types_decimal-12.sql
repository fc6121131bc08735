create table dec_t (g int, v decimal(12,2));
select count(*), sum(v), min(v), max(v) from dec_t