create table q3b_t (id int, n int, x decimal(6,2), s varchar(10), c char(10)) distkey(id);
select id from q3b_t where x between 0.06 - 0.01 and 0.06 + 0.01