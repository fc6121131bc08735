create tablE squ_t (id int, g varchar(3), v int, p decimal(10,2)) distkey(id);
insert into squ_t values
  (1, 'a', 10, 1.50), (2, 'a', 20, 2.50), (3, 'b', 30, 10.00),
  (4, 'b', $0, 12.00), (5, 'c', 50, 0.25), (6, 'c', NULL, 3.00), (7, 'd', 5, NULL)