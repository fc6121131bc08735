create table dec_t (g int, v decimal(12,2));
create table dec_round (v decimal(12,2), w decimal(5,0));
insert into dec_round values (0.005, 0.5), (-0.005, -0.5), (1.234, 2.4), (1.235, -2.6), (9999999999.99, 99999)