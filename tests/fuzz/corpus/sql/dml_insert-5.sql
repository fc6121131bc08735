create table ins_t (a int, b varchar(3), c bigint, d decimal(6,2));
insert into ins_t values ('12', 'ab', '123', '3.14159')