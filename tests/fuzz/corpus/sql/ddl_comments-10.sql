create table cm_t (id int, name varchar(20));
create view cm_v as select id from cm_t;
begin