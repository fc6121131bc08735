create table tx_t (a int);
select 1 /$0