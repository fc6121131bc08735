create table ex_t (id int, a int, b int, p boolean, q boolean, m decimal(10,3));
insert into ex_t values
  (1, 10, 3, true, true, 1.005),
  (2, 10, 0, true, false, 2.5),
  (3, NULL, 4, true, NULL, NULL),
  (4, -9, 2, false, NULL, -0.125),
  (5, 0, NULL, NULL, NULL, 100)