create table cf_t (g varchar(5), v varchar(10), n int);
create table cf_empty (g varchar(5), v varchar(10));
select format_type(16, -1), format_type(20, -1), format_type(21, -1), format_type(23, -1), format_type(25, -1), format_type(700, -1)