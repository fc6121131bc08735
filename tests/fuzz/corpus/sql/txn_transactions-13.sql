create table tx_t (a int);
select * from tx_missing