create table cf_t (g varchar(5), v varchar(10), n int);
create table cf_empty (g varchar(5), v varchar(10));
select format_type(19, -1), format_type(26, -1), format_type(18, -1), format_type(1009, -1), format_type(1005, -1), format_type(1007, -1)