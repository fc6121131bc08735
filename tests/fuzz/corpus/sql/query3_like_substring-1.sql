create table q3l_t (id int, s varchar(30)) distkey(id);
insert into q3l_t values
  (1, 'PROMO BRUSHED TIN'), (2, 'STANDARD POLISHED BRASS'), (3, 'forest green'), (4, 'green'),
  (5, 'MEDIUM POLISHED'), (6, ''), (7, NULL), (8, 'a_b%c'), (9, 'axbyc'), (10, '13-555-0101')