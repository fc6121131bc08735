create table q3l_t (id int, s varchar(30)) distkey(id);
select count(*) from q3l_t where s like 'promo%'