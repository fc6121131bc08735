create table tx_t (a int);
insert into tx_t values (50)