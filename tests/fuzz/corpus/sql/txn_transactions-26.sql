create table tx_t (a int);
select sum(a) from tx_t