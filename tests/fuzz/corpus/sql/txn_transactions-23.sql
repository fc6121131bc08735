create table tx_t (a int);
start transaction