create table q3b_t (id int, n int, x decimal(6,2), s varchar(10), c char(10)) distkey(id);
select id from q3b_t where s in ('MAIL', 'SHIP')