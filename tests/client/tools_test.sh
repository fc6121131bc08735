#!/usr/bin/env bash
# PostgreSQL's own tools against a real cluster (issue 17, item 8): pgbench initialises its
# tables (CREATE TABLE ... WITH (fillfactor), COPY ... FREEZE, VACUUM ANALYZE, ALTER TABLE ADD
# PRIMARY KEY) and runs its default TPC-B-like script from two clients, with the balances
# agreeing afterwards. Every wait is bounded.
set -euo pipefail
strata=${1:?usage: tools_test.sh path/to/strata}
dir=$(mktemp -d /tmp/strata-tools-XXXXXX)
source "$(dirname "$0")/../lib/strata_cluster.sh"
cleanup() { cluster_kill; rm -rf "$dir"; }
trap cleanup EXIT
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
cluster_psql -c "drop table pgbench_accounts, pgbench_branches, pgbench_tellers, pgbench_history" > /dev/null

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
