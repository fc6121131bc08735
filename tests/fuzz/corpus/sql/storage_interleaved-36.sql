create table il_thousand as select a.x * 100 + b.x * 10 + c.x as x from il_digits a, il_digits b, il_digits c;
create table il_x as select k.x * 2000 + j.x * 2 + i.x + 1 as x from il_thousand k, il_thousand j, (select x from il_digits where x < 2) i;
create table il (a bigint, b bigint, c int) diststyle all interleaved sortkey(a, b);
create table cp (a bigint, b bigint, c int) diststyle all compound sortkey(a, b);
create table il_mixed (s varchar(8), d double precision, n int) diststyle even interleaved sortkey(s, d, n);
create table il_eight (c1 int, c2 int, c3 int, c4 int, c5 int, c6 int, c7 int, c8 int) interleaved sortkey(c1, c2, c3, c4, c5, c6, c7, c8);
insert into il_eight values (1, 2, 3, 4, 5, 6, 7, 8), (8, 7, 6, 5, 4, 3, 2, 1)