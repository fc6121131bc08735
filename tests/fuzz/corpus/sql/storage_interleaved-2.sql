create table il_digits (x int);
create table il_thousand as select a.x * 100 + b.x * 10 + c.x as x from il_digits a, il_digits b, il_digits c