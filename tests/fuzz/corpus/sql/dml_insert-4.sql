create table ins_t (a int, b varchar(3), c bigint, d decimal(6,2));
select a, b, c, d from ins_t order by a