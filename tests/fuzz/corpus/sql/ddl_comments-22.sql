create table cm_t (id int, name varchar(20));
create view cm_v as select id from cm_t;
create table cm_r (a int, b int);
select column_name, remarks from svv_columns where table_name = 'cm_r' order by ordinal_position