create table dec_t (g int, v decimal(12,2));
create table dec_round (v decimal(12,2), w decimal(5,0));
drop table dec_round