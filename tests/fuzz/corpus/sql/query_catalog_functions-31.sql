create table cf_t (g varchar(5), v varchar(10), n int);
create table cf_empty (g varchar(5), v varchar(10));
select pg_encoding_to_char(6), pg_encoding_to_char(0), pg_encoding_to_char(99), pg_get_expr('now()', 1259)