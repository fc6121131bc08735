create table wn_t (g varchar(5), o int, v int, d decimal(8,2));
insert into wn_t values
  ('a', 1, 10, 1.50),
  ('a', 2, 20, 2.25),
  ('a', 2, 30, NULL),
  ('a', NULL, 40, 4.00),
  ('b', 5, NULL, 1.00),
  ('b', 3, 7, 2.00),
  ('b', 3, 9, 3.00),
  (NULL, 1, 100, 10.00),
  (NULL, 1, 200, 20.00),
  ('c', 9, 1, 0.10)