create table cf_t (g varchar(5), v varchar(10), n int);
create table cf_empty (g varchar(5), v varchar(10));
select format_type(1082, -1), format_type(1114, -1), format_type(1184, -1), format_type(1700, 655366), format_type(1700, -1)