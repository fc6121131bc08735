-- Queries over external tables that tests/spectrum/run_spectrum_tests.sh runs on Strata and on
-- DuckDB (over the same files) and compares row for row (sorted). One query per line.
select count(*), count(amount), sum(amount), min(day), max(day) from spectrum.sales
select year, month, count(*), sum(amount), min(id), max(item) from spectrum.sales group by year, month
select count(*), sum(amount) from spectrum.sales where year = 2023 and month in (2, 5)
select month, count(*) from spectrum.sales where year >= 2023 and month between 3 and 6 group by month
select count(*) from spectrum.sales where month + 1 = 4 or year * 100 + month = 202212
select id, item, amount, day, year, month from spectrum.sales where year = 2024 and id < 100
select count(*), sum(amount) from spectrum.sales where amount > 3000 and year = 2022
select year, month, count(*), sum(amount) from spectrum.sales_s3 group by year, month
select count(*), sum(amount), min(item), max(item) from spectrum.sales_s3 where month = 12
select year, month, count(*), sum(amount), max(day) from spectrum.sales_csv group by year, month
select count(*) from spectrum.sales_csv where item = 'item, 3'
select count(*), count(amount), sum(amount), min(day), max(item) from spectrum.flat_gz
select item, count(*), sum(amount) from spectrum.sales_json group by item
select i.category, s.year, count(*), sum(s.amount) from spectrum.sales s join items i on s.item = i.item group by i.category, s.year
select i.category, count(*) from spectrum.sales_s3 s join items i on s.item = i.item where s.month in (1, 2) group by i.category
select f.item, count(*) from spectrum.flat_gz f join spectrum.sales_json j on f.id = j.id where f.amount is null group by f.item
select id, amount from spectrum.sales where year = 2022 order by amount desc nulls last, id limit 7
