create table cm_t (id int, name varchar(20));
create view cm_v as select id from cm_t;
select obj_description('cm_t'::regclass, 'pg_class'), obj_description('cm_v'::regclass), col_description('cm_t'::regclass, 2), col_description('cm_t'::regclass, 1)