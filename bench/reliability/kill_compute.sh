#!/usr/bin/env bash
# Single compute-node kill loop: one cluster (2 compute nodes) with a writer committing
# transactions in the background (same transactions and ledger as kill_cluster.sh, in chunks of
# 20 per psql so that a failed statement only ends its chunk). Each round kills one compute node
# with SIGKILL at a random moment; `strata serve` must restart it, and then:
#   * a query over the ledger answers within 60 s — else the round "crashed" (and the run ends);
#   * every transaction acknowledged before the check is wholly there — else it is "lost";
#   * nothing is half-applied (rows per transaction, the acct transfer invariant) — else
#     "partial" (counted as lost).
# The leader process dying at any point also counts as crashed. Bounded: --runs (default 20)
# and --max-minutes (default 30).
#
#   kill_compute.sh [--strata build/strata] [--runs 20] [--seed 1] [--max-minutes 30]
# Prints: kill_compute: 20 tried / 20 passed / 0 lost / 0 crashed (0 partial, 412 acknowledged commits)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../../tests/lib/strata_cluster.sh"
source "$here/../../tests/lib/ledger.sh"
strata="$here/../../build/strata" runs=20 seed=1 max_minutes=30
while [ $# -gt 0 ]; do
  case "$1" in
    --strata) strata=$2; shift 2 ;; --runs) runs=$2; shift 2 ;; --seed) seed=$2; shift 2 ;;
    --max-minutes) max_minutes=$2; shift 2 ;; *) echo "unknown option $1"; exit 2 ;;
  esac
done
dir=$(mktemp -d)
writer_loop=""
trap '[ -n "$writer_loop" ] && kill "$writer_loop" 2>/dev/null; cluster_kill; rm -rf "$dir"' EXIT
cp "$strata" "$dir/strata" && strata="$dir/strata"
# Deterministic per --seed (bash's RANDOM stays unseeded, so concurrent scripts still draw
# different free ports): a number in [0, MOD) for run RUN and purpose SALT.
rnd() { echo $(( ((seed * 2654435761 + $1 * 40503 + $2 * 9973) >> 7) % $3 )); }
deadline=$((SECONDS + max_minutes * 60))

if ! cluster_start "$strata" "$dir/data" --compute-nodes 2 --spectrum-workers 0; then
  echo "cluster did not start"; tail -20 "$dir/data.log"; exit 1
fi
cluster_psql -c "$ledger_tables_sql" \
  || { echo "could not create the ledger tables"; exit 1; }
: > "$dir/acked"

# The writer: chunks of 20 transactions until $dir/stop exists; acknowledged ones are appended
# to $dir/acked as they commit (a line per COMMIT that returned).
(
  t=1
  while [ ! -e "$dir/stop" ]; do
    ledger_chunk "$t" > "$dir/chunk.sql"
    timeout 60 bash -c "source '$here/../../tests/lib/strata_cluster.sh'; port=$port; cluster_psql -v ON_ERROR_STOP=1 -f '$dir/chunk.sql'" 2> /dev/null \
      | awk '/^ack / { print $2, $3; fflush() }' >> "$dir/acked"
    t=$((t + 20))
  done
) &
writer_loop=$!

tried=0 passed=0 lost=0 crashed=0 partial=0
for run in $(seq 1 "$runs"); do
  [ $SECONDS -lt $deadline ] || break
  tried=$((tried + 1))
  r=$(rnd "$run" 1 30)
  sleep "$((r / 10)).$((r % 10))"   # 0.0 - 2.9 s of writes first
  victim=$(pgrep -g "$pgid" -f " compute " | sed -n "$(( $(rnd "$run" 2 2) + 1 ))p")
  [ -n "$victim" ] || victim=$(pgrep -g "$pgid" -f " compute " | sed -n 1p)
  if [ -z "$victim" ]; then crashed=$((crashed + 1)); echo "run $run: no compute node running"; break; fi
  kill -KILL "$victim"
  # Recovery: a query that needs both nodes answers (bounded).
  ok=0
  for _ in $(seq 1 120); do
    cluster_alive || break
    if cluster_psql -Atc "select count(*) from ledger_rows" > /dev/null 2>&1; then ok=1; break; fi
    sleep 0.5
  done
  if [ "$ok" != 1 ] || ! cluster_alive; then
    crashed=$((crashed + 1)); echo "run $run: the cluster did not recover after node pid $victim was killed"; tail -5 "$dir/data.log"; break
  fi
  cp "$dir/acked" "$dir/acked.now"   # what was acknowledged before the check began
  cluster_psql -Atc "$ledger_state_sql" \
    > "$dir/state" 2>&1
  verdict=$(ledger_verdict "$dir/acked.now" "$dir/state")
  read -r run_lost run_partial <<< "$verdict"
  if [ "$run_lost" = 0 ] && [ "$run_partial" = 0 ]; then
    passed=$((passed + 1))
  else
    lost=$((lost + 1)); partial=$((partial + (run_partial > 0)))
    echo "run $run: $run_lost acknowledged transactions missing, $run_partial half-applied"
  fi
done
touch "$dir/stop"
for _ in $(seq 1 100); do kill -0 "$writer_loop" 2>/dev/null || break; sleep 0.1; done
kill "$writer_loop" 2>/dev/null; writer_loop=""
cluster_kill
echo "kill_compute: $tried tried / $passed passed / $lost lost / $crashed crashed ($partial partial, $(wc -l < "$dir/acked") acknowledged commits)"
[ "$passed" = "$tried" ]
