begin;
insert into u values (1, 'ab', 2, 1.5, 'x', '2020-01-02 03:04:05+00', 1.25);
update u set v = v + 1 where k = 1;
delete from u where k = 1;
commit;
explain select * from t join u on a = k;
set application_name = 'fz';
show application_name;
select e + 1, date_trunc('month', f), h / 3, d * 2 from t where c like 'x%' group by 1, 2, 3, 4 having count(*) > 0;
