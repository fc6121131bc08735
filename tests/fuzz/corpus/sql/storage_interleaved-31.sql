create table il_digits (x int);
create table il_thousand as select a.x * 100 + b.x * 10 + c.x as x from il_digits a, il_digits b, il_digits c;
create table il_x as select k.x * 2000 + j.x * 2 + i.x + 1 as x from il_thousand k, il_thousand j, (select x from il_digits where x < 2) i;
create table il (a bigint, b bigint, c int) diststyle all interleaved sortkey(a, b);
create table cp (a bigint, b bigint, c int) diststyle all compound sortkey(a, b);
create table il_mixed (s varchar(8), d double precision, n int) diststyle even interleaved sortkey(s, d, n)