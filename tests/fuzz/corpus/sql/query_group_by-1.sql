create table gb_t (g varchar(5), h int, v int, w double precision);
insert into gb_t values
  ('a', 1, 10, 1.0),
  ('a', 1, 20, 2.0),
  ('a', 2, NULL, 3.0),
  ('b', 1, 5, NULL),
  ('b', 2, 7, 4.5),
  ('b', 2, 9, 5.5),
  (NULL, 1, 100, 10.0),
  (NULL, NULL, NULL, NULL)