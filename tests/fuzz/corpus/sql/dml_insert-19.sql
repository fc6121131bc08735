create table ins_t (a int, b varchar(3), c bigint, d decimal(6,2));
create table ins_copy (x int, y varchar(10), z bigint);
insert into ins_copy (z, x) select c, a + 100 from ins_t where c >= 40