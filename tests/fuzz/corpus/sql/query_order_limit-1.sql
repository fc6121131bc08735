create table ol_t (id int, n int, s varchar(10), d decimal(6,2));
insert into ol_t values
  (1, 30, 'pear', 1.10),
  (2, NULL, 'apple', 9.99),
  (3, 10, NULL, -1.00),
  (4, 20, 'fig', NULL),
  (5, 10, 'banana', 0.00),
  (6, -5, 'Zebra', 100.00)