create table dist_t (a int, b bigint, c varchar(12)) distkey(a) sortkey(a);
select count(*), sum(a), min(a), max(a), sum(b), count(distinct a), count(c) from dist_t