#!/usr/bin/env bash
# PostgreSQL's own tools against a real cluster (issue 17, item 8): pgbench initialises its
# tables (CREATE TABLE ... WITH (fillfactor), COPY ... FREEZE, VACUUM ANALYZE, ALTER TABLE ADD
# PRIMARY KEY) and runs its default TPC-B-like script from two clients, with the balances
# agreeing afterwards; pg_dump --schema-only dumps schemas, tables with keys, defaults and
# comments, and views, the dump loads back into an emptied database with psql, and a second
# dump of what was loaded is the same as the first. Every wait is bounded.
set -euo pipefail
strata=${1:?usage: tools_test.sh path/to/strata}
dir=$(mktemp -d /tmp/strata-tools-XXXXXX)
source "$(dirname "$0")/../lib/strata_cluster.sh"
cleanup() { cluster_kill; rm -rf "$dir"; }
trap cleanup EXIT
[ -n "${KEEP_DUMP:-}" ] && trap 'cp "$dir"/dump1.sql /tmp/kept_dump1.sql 2>/dev/null; cleanup' EXIT
cluster_start "$strata" "$dir/data" || { cat "$dir/data.log" 2>/dev/null | tail -20; exit 1; }
export PGHOST=127.0.0.1 PGPORT=$port PGUSER=strata PGDATABASE=dev PGSSLMODE=disable PGCONNECT_TIMEOUT=5
CHECK_VERBOSE=1
source "$(dirname "$0")/../lib/check.sh"

# ---- pgbench ----
init_out=$(timeout 120 pgbench -i -s 1 2>&1 || true)
check "pgbench -i finishes" "1" "$(grep -c '^done in' <<< "$init_out")"
check "pgbench_accounts rows" "100000" "$(cluster_psql -Atc "select count(*) from pgbench_accounts")"
check "pgbench's primary keys are in pg_constraint" "3" \
  "$(cluster_psql -Atc "select count(*) from pg_constraint where contype = 'p' and conname like 'pgbench_%_pkey'")"
# The default script from two clients: concurrent updates of one branch row are serialization
# failures (40001) under Strata's serializable isolation, which pgbench retries.
run_out=$(timeout 300 pgbench -c 2 -t 15 --max-tries=1000 2>&1 || true)
check "pgbench ran every transaction" "1" "$(grep -c 'number of transactions actually processed: 30/30' <<< "$run_out")"
check "pgbench had no failed transaction" "1" "$(grep -c 'number of failed transactions: 0 ' <<< "$run_out")"
check "history rows, one per transaction" "30" "$(cluster_psql -Atc "select count(*) from pgbench_history")"
check "accounts, tellers, branches and history agree" "1" \
  "$(cluster_psql -Atc "select count(distinct s) from (select sum(abalance) s from pgbench_accounts union all
                         select sum(tbalance) from pgbench_tellers union all select sum(bbalance) from pgbench_branches
                         union all select sum(delta) from pgbench_history) x")"
# Sizes (psql's \dt+, pg_table_size): the blocks each table holds on the compute nodes.
check "every pgbench table has a size" "4" \
  "$(cluster_psql -Atc "select count(*) from pg_class where relname like 'pgbench\_%' and relkind = 'r' and pg_table_size(oid) > 0")"
check "pg_total_relation_size = pg_table_size; no index bytes" "t|0" \
  "$(cluster_psql -Atc "select pg_total_relation_size('pgbench_accounts') = pg_table_size('pgbench_accounts'), pg_indexes_size('pgbench_accounts')")"
check "\\dt+ shows a size that is not 0 bytes" "1" \
  "$(cluster_psql -c '\dt+ pgbench_accounts' | grep 'pgbench_accounts' | grep -v ' 0 bytes' | grep -c ' [0-9]* \(bytes\|kB\|MB\)')"
cluster_psql -c "drop table pgbench_accounts, pgbench_branches, pgbench_tellers, pgbench_history" > /dev/null

# ---- pg_dump --schema-only, loaded back ----
cluster_psql -c "
  create schema sales;
  create table sales.customers (id int primary key, name varchar(40) not null, region char(2) default 'EU')
    diststyle all;
  create table sales.orders (id bigint, customer_id int references sales.customers (id),
    amount decimal(12,2), placed timestamp, shipped date, note text, unique (id)) distkey(customer_id) sortkey(placed);
  comment on table sales.orders is 'one row per order';
  create view sales.big_orders as select id, amount from sales.orders where amount > 1000;
  create table public.flags (f boolean, r real, d double precision, s smallint);" > /dev/null
timeout 60 pg_dump --schema-only --no-owner -f "$dir/dump1.sql" 2> "$dir/dump1.err" || true
check "pg_dump --schema-only succeeds" "" "$(cat "$dir/dump1.err")"
check "the dump creates the schema" "1" "$(grep -c '^CREATE SCHEMA sales;' "$dir/dump1.sql")"
check "the dump creates the tables" "3" "$(grep -c '^CREATE TABLE ' "$dir/dump1.sql")"
check "the dump creates the view" "1" "$(grep -c '^CREATE VIEW sales.big_orders' "$dir/dump1.sql")"
check "the dump adds the keys" "3" "$(grep -c 'ADD CONSTRAINT .* \(PRIMARY KEY\|UNIQUE\|FOREIGN KEY\)' "$dir/dump1.sql")"
# Empty the database and load the dump back (psql stops at the first error).
cluster_psql -c "drop view sales.big_orders; drop table sales.orders; drop table sales.customers;
                 drop schema sales; drop table public.flags" > /dev/null
load_err=$(timeout 60 psql -X -q -v ON_ERROR_STOP=1 -f "$dir/dump1.sql" 2>&1 > /dev/null || echo "psql failed")
check "the dump loads back without an error" "" "$load_err"
timeout 60 pg_dump --schema-only --no-owner -f "$dir/dump2.sql" 2> "$dir/dump2.err" || true
# (psql 15.14+'s \restrict / \unrestrict lines carry a random key per dump.)
strip_keys() { grep -v -e '^\\restrict' -e '^\\unrestrict' "$1"; }
check "a second dump equals the first" "" "$(diff <(strip_keys "$dir/dump1.sql") <(strip_keys "$dir/dump2.sql") || true)"
check "the loaded tables take rows" "1" "$(cluster_psql -Atc "insert into sales.customers values (1, 'a');
  insert into sales.orders values (7, 1, 1500, '2024-01-01', null, 'x'); select count(*) from sales.big_orders")"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
