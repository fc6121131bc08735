create table ins_t (a int, b varchar(3), c bigint, d decimal(6,2));
insert into ins_t values (1, 'one', 10, 1.50), (2, 'two', 20, 2.25), (3, NULL, NULL, NULL)