create table q3b_t (id int, n int, x decimal(6,2), s varchar(10), c char(10)) distkey(id);
insert into q3b_t values
  (1, 1, 0.05, 'MAIL', 'SM CASE'), (2, 5, 0.06, 'SHIP', 'MED BOX'), (3, 10, 0.07, 'AIR', 'LG PACK'),
  (4, 11, 0.04, 'RAIL', 'SM PKG'), (5, NULL, NULL, NULL, NULL), (6, 7, 0.08, 'TRUCK', 'MED BAG')