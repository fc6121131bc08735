create table wh_t (id int, n int, s varchar(10), d date, x decimal(8,2), f boolean);
insert into wh_t values
  (1, 10, 'apple', '2024-01-01', 1.50, true),
  (2, 20, 'banana', '2024-02-15', 2.00, false),
  (3, NULL, 'cherry', NULL, 3.25, NULL),
  (4, 40, NULL, '2023-12-31', NULL, true),
  (5, -5, 'apricot', '2024-03-01', -0.50, false)