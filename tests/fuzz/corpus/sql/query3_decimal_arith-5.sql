create table q3m_t (id int, flag char(1), qty decimal(15,2), price decimal(15,2), disc decimal(15,2), tax decimal(15,2)) distkey(id);
select avg(price), avg(disc) from q3m_t