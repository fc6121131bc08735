create table cf_t (g varchar(5), v varchar(10), n int);
insert into cf_t values
  ('a', 'x', 1), ('a', 'y', 2), ('a', NULL, 3), ('b', 'z', 4), ('b', NULL, 5), ('c', NULL, 6),
  (NULL, 'w', 7), ('d', 'p', 8), ('d', 'q', 9), ('d', 'r', 10), ('e', 'Pg_Class', 11), ('e', 'pg_type', 12)