create table dec_t (g int, v decimal(12,2));
insert into dec_t values (1, 0.01), (1, 0.10), (2, 1234.56), (2, -99.99), (3, 0.05), (3, 99999.99), (1, 0.33)