create table ins_t (a int, b varchar(3), c bigint, d decimal(6,2));
select count(*), count(b) from ins_t