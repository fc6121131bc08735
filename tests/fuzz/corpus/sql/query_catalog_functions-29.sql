create table cf_t (g varchar(5), v varchar(10), n int);
create table cf_empty (g varchar(5), v varchar(10));
select quote_ident('abc'), quote_ident('Abc'), quote_ident('1a'), quote_ident('a"b'), quote_ident('select'), quote_ident('_x9')