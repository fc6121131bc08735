create table tx_t (a int);
drop table tx_t