#!/usr/bin/env bash
# Whole-cluster kill -9 loop: one writer commits transactions and records each one the server
# acknowledged (COMMIT returned) in a ledger; at a random moment the whole cluster's process
# group is killed with SIGKILL, then restarted on the same data folder and checked:
#   * every acknowledged transaction is wholly there (its rows in ledger_rows, its row in
#     ledger_txn) — else it is "lost";
#   * no transaction is half-applied: every transaction present has all its rows and its one
#     ledger_txn row, and the two-account transfer it made keeps acct 1 + acct 2 = 0 with
#     acct 2 = the number of transactions present — else it is "partial" (counted as lost);
#   * the cluster came back within 20 s — else it "crashed".
# Each transaction: begin; insert 1-8 rows (txn, i); insert (txn, n); move 1 from acct 1 to
# acct 2; commit. Bounded: --runs (default 50) and --max-minutes (default 30).
#
#   kill_cluster.sh [--strata build/strata] [--runs 50] [--seed 1] [--max-minutes 30]
# Prints per failing run what was wrong, then
#   kill_cluster: 50 tried / 50 passed / 0 lost / 0 crashed (0 partial, 3121 acknowledged commits)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../../tests/lib/strata_cluster.sh"
strata="$here/../../build/strata" runs=50 seed=1 max_minutes=30
while [ $# -gt 0 ]; do
  case "$1" in
    --strata) strata=$2; shift 2 ;; --runs) runs=$2; shift 2 ;; --seed) seed=$2; shift 2 ;;
    --max-minutes) max_minutes=$2; shift 2 ;; *) echo "unknown option $1"; exit 2 ;;
  esac
done
dir=$(mktemp -d)
trap 'cluster_kill; rm -rf "$dir"' EXIT
# A copy of the binary: a rebuild in the meantime must not pull it away mid-loop.
cp "$strata" "$dir/strata" && strata="$dir/strata"
# Deterministic per --seed (bash's RANDOM stays unseeded, so concurrent scripts still draw
# different free ports): a number in [0, MOD) for run RUN and purpose SALT.
rnd() { echo $(( ((seed * 2654435761 + $1 * 40503 + $2 * 9973) >> 7) % $3 )); }
deadline=$((SECONDS + max_minutes * 60))

tried=0 passed=0 lost=0 crashed=0 partial=0 acked_total=0
: > "$dir/acked"   # "txn n" per acknowledged commit, over all runs
next_txn=1
if ! cluster_start "$strata" "$dir/data"; then echo "cluster did not start"; tail -20 "$dir/data.log"; exit 1; fi
cluster_psql -c "create table ledger_rows (txn int, i int) distkey(txn); create table ledger_txn (txn int, n int);
                 create table acct (id int, bal int); insert into acct values (1, 0), (2, 0)" \
  || { echo "could not create the ledger tables"; exit 1; }

for run in $(seq 1 "$runs"); do
  [ $SECONDS -lt $deadline ] || break
  tried=$((tried + 1))
  # A writer script of up to 400 transactions; \echo runs only after its COMMIT succeeded.
  awk -v first="$next_txn" -v seed="$((seed * 100000 + run))" 'BEGIN {
    srand(seed)
    for (t = first; t < first + 400; ++t) {
      n = 1 + int(rand() * 8); rows = ""
      for (i = 1; i <= n; ++i) rows = rows (i > 1 ? "," : "") "(" t "," i ")"
      print "begin;"
      print "insert into ledger_rows values " rows ";"
      print "insert into ledger_txn values (" t "," n ");"
      print "update acct set bal = bal - 1 where id = 1;"
      print "update acct set bal = bal + 1 where id = 2;"
      print "commit;"
      print "\\echo ack " t " " n
    }
  }' > "$dir/writer.sql"
  next_txn=$((next_txn + 400))
  cluster_psql -v ON_ERROR_STOP=1 -f "$dir/writer.sql" > "$dir/writer.out" 2> /dev/null &
  writer=$!
  r=$(rnd "$run" 1 20)
  sleep "$((r / 10)).$((r % 10))"   # 0.0 - 1.9 s into the writes
  cluster_kill
  # The writer sees its connection die; bounded wait, then it is killed too.
  for _ in $(seq 1 50); do kill -0 "$writer" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$writer" 2>/dev/null; wait "$writer" 2>/dev/null
  grep '^ack ' "$dir/writer.out" | awk '{print $2, $3}' >> "$dir/acked"
  acked_total=$(wc -l < "$dir/acked")

  if ! cluster_start "$strata" "$dir/data"; then
    crashed=$((crashed + 1)); echo "run $run: the cluster did not come back"; tail -5 "$dir/data.log"; break
  fi
  cluster_psql -Atc "select txn, count(*) from ledger_rows group by txn" > "$dir/rows" 2>&1
  cluster_psql -Atc "select txn, n from ledger_txn" > "$dir/txns" 2>&1
  accts=$(cluster_psql -Atc "select sum(case when id = 1 then bal else 0 end) || '|' || sum(case when id = 2 then bal else 0 end) from acct" 2>&1)
  verdict=$(awk -F'[| ]' -v accts="$accts" '
    FILENAME ~ /acked$/ { want[$1] = $2; next }
    FILENAME ~ /rows$/ { rows[$1] = $2; next }
    FILENAME ~ /txns$/ { n[$1] = $2; seen[$1]++; next }
    END {
      lost = 0; part = 0
      for (t in want) if (!(t in n) || rows[t] != want[t]) lost++
      present = 0
      for (t in seen) { present++; if (seen[t] != 1 || rows[t] != n[t]) part++ }
      for (t in rows) if (!(t in n)) part++
      split(accts, a, "|")
      if (a[1] + a[2] != 0 || a[2] != present) part++
      print lost, part
    }' "$dir/acked" "$dir/rows" "$dir/txns")
  read -r run_lost run_partial <<< "$verdict"
  if [ "$run_lost" = 0 ] && [ "$run_partial" = 0 ]; then
    passed=$((passed + 1))
  else
    lost=$((lost + 1)); partial=$((partial + (run_partial > 0)))
    echo "run $run: $run_lost acknowledged transactions missing, $run_partial half-applied (accounts $accts)"
  fi
done
cluster_kill
echo "kill_cluster: $tried tried / $passed passed / $lost lost / $crashed crashed ($partial partial, $acked_total acknowledged commits)"
[ "$passed" = "$tried" ]
