create table cf_t (g varchar(5), v varchar(10), n int);
create table cf_empty (g varchar(5), v varchar(10));
select quote_literal('it''s'), quote_literal(42), quote_literal(NULL::text)