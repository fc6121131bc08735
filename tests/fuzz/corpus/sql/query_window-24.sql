create table wn_t (g varchar(5), o int, v int, d decimal(8,2));
create table wn_empty (g varchar(5), v int);
create table wn_big (k int, x int);
insert into wn_big select a.v, b.v * 1000000 + c.v * 1000 + e.v from wn_t a, wn_t b, wn_t c, wn_t e
where a.v is not null and b.v is not null and c.v is not null and e.v is not null