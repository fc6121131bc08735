create table tx_t (a int);
select count(*) from tx_t