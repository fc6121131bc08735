create table q3h_t (id int, g varchar(3), k int, v decimal(8,2)) distkey(id);
insert into q3h_t values
  (1, 'a', 1, 1.00), (2, 'a', 1, 2.00), (3, 'a', 2, 3.00), (4, 'b', 3, 4.00), (5, 'b', 3, 5.00),
  (6, 'b', NULL, 6.00), (7, 'c', 4, NULL), (8, 'c', 5, 8.00), (9, 'c', 6, 9.00), (10, NULL, 1, 10.00)