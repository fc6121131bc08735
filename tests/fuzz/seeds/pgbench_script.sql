\set a random(1, 100)
select a, c, d from t where a = :a;
insert into n values (:a, 'name');
update u set v = v + 1 where k = :a;
select count(*), max(name) from n where id between :a and :a + 10;
