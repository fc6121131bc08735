create table tx_t (a int);
select a from tx_t