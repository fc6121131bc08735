create table ins_t (a int, b varchar(3), c bigint, d decimal(6,2));
create table ins_copy (x int, y varchar(10), z bigint)