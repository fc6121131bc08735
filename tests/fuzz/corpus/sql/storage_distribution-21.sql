create table dist_t (a int, b bigint, c varchar(12)) distkey(a) sortkey(a);
select count(*), sum(a) from dist_t where a between 1000 and 1999