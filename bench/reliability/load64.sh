#!/usr/bin/env bash
# 64-session load: starts a cluster and runs the concurrency ledger client (tests/concurrency/
# ledger_main.cpp, built as build/ledger_test) with 64 sessions against it: each session runs
# --statements random writing statements (INSERT, UPDATE, DELETE, COPY, INSERT ... SELECT,
# explicit transactions that commit or roll back) and keeps a ledger of what was acknowledged;
# afterwards the tables must match the ledgers exactly.
#   tried    statements answered: acknowledged + refused (40001 / 40P01) + unexpected errors
#            (a statement inside a transaction that is retried counts each time)
#   passed   tried less unexpected errors and ledger mismatches
#   lost     ledger mismatches: a lost, duplicated or invented row or value
#   crashed  1 when the leader died during the load
#
#   load64.sh [--strata build/strata] [--ledger build/ledger_test] [--sessions 64]
#             [--statements 100] [--seed 1] [--timeout 900]
# Prints: load64: 6612 tried / 6612 passed / 0 lost / 0 crashed (the ledger client's line)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../../tests/lib/strata_cluster.sh"
strata="$here/../../build/strata" ledger="$here/../../build/ledger_test" sessions=64 statements=100 seed=1 timeout_s=900
while [ $# -gt 0 ]; do
  case "$1" in
    --strata) strata=$2; shift 2 ;; --ledger) ledger=$2; shift 2 ;; --sessions) sessions=$2; shift 2 ;;
    --statements) statements=$2; shift 2 ;; --seed) seed=$2; shift 2 ;; --timeout) timeout_s=$2; shift 2 ;;
    *) echo "unknown option $1"; exit 2 ;;
  esac
done
[ -x "$ledger" ] || { echo "$ledger is missing: build it (cmake --build build --target ledger_test)"; exit 1; }
dir=$(mktemp -d)
trap 'cluster_kill; rm -rf "$dir"' EXIT
cp "$strata" "$dir/strata" && strata="$dir/strata"
cluster_start "$strata" "$dir/data" --compute-nodes 2 --spectrum-workers 0 || { echo "cluster did not start"; tail -20 "$dir/data.log"; exit 1; }
timeout -k 10 "$timeout_s" "$ledger" --connect "host=127.0.0.1 port=$port user=strata dbname=dev sslmode=disable" \
  --sessions "$sessions" --statements "$statements" --seed "$seed" --timeout-s "$((timeout_s - 30))" > "$dir/ledger.out" 2>&1
line=$(grep '^ledger: .* sessions x' "$dir/ledger.out" | tail -1)
crashed=0
cluster_alive && cluster_psql -Atc "select 1" > /dev/null 2>&1 || crashed=1
ack=$(sed -n 's/.* \([0-9]*\) acknowledged.*/\1/p' <<< "$line")
refused=$(sed -n 's/.* \([0-9]*\) refused.*/\1/p' <<< "$line")
mismatches=$(sed -n 's/.* \([0-9]*\) mismatches.*/\1/p' <<< "$line")
unexpected=$(sed -n 's/.* \([0-9]*\) unexpected errors.*/\1/p' <<< "$line")
if [ -z "$line" ]; then
  echo "the ledger client printed no result:"; tail -20 "$dir/ledger.out"
  echo "load64: 0 tried / 0 passed / 0 lost / $crashed crashed (no result)"
  exit 1
fi
grep '^ledger: ' "$dir/ledger.out" | grep -v ' sessions x' | sed -n 1,10p
tried=$((ack + refused + unexpected))
passed=$((tried - unexpected - mismatches)); [ "$passed" -ge 0 ] || passed=0
lost=$mismatches
echo "load64: $tried tried / $passed passed / $lost lost / $crashed crashed ($line)"
[ "$lost" = 0 ] && [ "$crashed" = 0 ] && [ "$unexpected" = 0 ]
