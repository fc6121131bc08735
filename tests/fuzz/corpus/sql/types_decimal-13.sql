create table dec_t (g int, v decimal(12,2));
select g, count(*), sum(v) from dec_t group by g order by g