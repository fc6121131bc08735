create table tx_t (a int);
begin