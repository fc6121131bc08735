create table dec_t (g int, v decimal(12,2));
insert into dec_t select g, v from dec_t