create table q3s_t (id int, g varchar(3), a int, b decimal(6,2)) distkey(id);
insert into q3s_t values
  (1, 'x', 3, 1.50), (2, 'y', 1, 2.00), (3, 'x', 2, NULL), (4, 'z', NULL, 0.50),
  (5, 'y', 5, 3.25), (6, 'x', 4, 2.00)