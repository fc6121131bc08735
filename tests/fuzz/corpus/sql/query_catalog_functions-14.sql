create table cf_t (g varchar(5), v varchar(10), n int);
create table cf_empty (g varchar(5), v varchar(10));
select format_type(1016, -1), format_type(1015, -1), format_type(1000, -1), format_type(2205, -1), format_type(2206, -1), format_type(99999, -1)