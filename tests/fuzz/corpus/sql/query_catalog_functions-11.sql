create table cf_t (g varchar(5), v varchar(10), n int);
create table cf_empty (g varchar(5), v varchar(10));
select format_type(701, -1), format_type(1042, 14), format_type(1042, -1), format_type(1043, 14), format_type(1043, -1)