create table ex_t (id int, a int, b int, p boolean, q boolean, m decimal(10,3));
select id, case b when 3 then 'three' when 0 then 'zero' else 'other' end from ex_t order by id