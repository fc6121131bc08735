create table ins_t (a int, b varchar(3), c bigint, d decimal(6,2));
select d from ins_t where a = 13