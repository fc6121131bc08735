#!/usr/bin/env bash
# Kill -9 of one compute node at random moments while TPC-H queries and ledger transactions run
# (issue 20, items 4, 5 and 7): the driver behind tests/server/failover_test.sh (a few
# injections, in `make test`) and bench/failover/run (a hundred and more).
#
# One `strata serve` cluster (--nodes compute nodes × 2 slices; it restarts a killed child) holds
# TPC-H SF 0.01 and a ledger. In the background a reader cycles through TPC-H queries and
# compares every answer with the one it gave before any kill; a writer commits ledger
# transactions (each inserts 1-8 rows under one transaction number, its row count, and moves a
# unit between two accounts) and records the ones acknowledged. Each injection kills one
# compute node (every --wipe-every'th also loses its data folder, a replaced disk), then
# measures the time until a query that needs every slice answers ("service") and until both
# nodes serve their own slices with their mirrors in sync ("full service"), then checks that
# every acknowledged transaction is there, whole, and nothing half-applied.
#
#   failover_loop.sh --strata S --dbgen D --queries DIR [--injections 6] [--wipe-every 3]
#                    [--seed 1] [--max-minutes 10] [--work DIR] [--nodes 2]
# Prints one line of figures, "failover: key=value ...", and exits 0 only when no commit was
# lost, no answer was wrong, every error was the retryable 40001 and every injection recovered.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/strata_cluster.sh"
source "$here/../lib/ledger.sh"
source "$here/../lib/load_loops.sh"
strata="" dbgen="" queries="" injections=6 wipe_every=3 seed=1 max_minutes=10 work="" nodes=2
while [ $# -gt 0 ]; do
  case "$1" in
    --strata) strata=$2; shift 2 ;; --dbgen) dbgen=$2; shift 2 ;; --queries) queries=$2; shift 2 ;;
    --injections) injections=$2; shift 2 ;; --wipe-every) wipe_every=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;; --max-minutes) max_minutes=$2; shift 2 ;; --work) work=$2; shift 2 ;;
    --nodes) nodes=$2; shift 2 ;;
    *) echo "unknown option $1"; exit 2 ;;
  esac
done
[ -x "$strata" ] && [ -x "$dbgen" ] && [ -d "$queries" ] || { echo "usage: see the top of $0"; exit 2; }
[ -n "$work" ] || work=$(mktemp -d)
mkdir -p "$work"
dir=$work
loops=()
cleanup() {
  touch "$dir/stop"
  for p in "${loops[@]}"; do kill "$p" 2> /dev/null; done
  cluster_kill
}
trap cleanup EXIT
deadline=$((SECONDS + max_minutes * 60))
rnd() { echo $(( ((seed * 2654435761 + $1 * 40503 + $2 * 9973) >> 7) % $3 )); }
now_ms() { date +%s%3N; }

"$dbgen" --scale 0.01 --out "$dir/tbl" > /dev/null || { echo "dbgen failed"; exit 1; }
if ! cluster_start "$strata" "$dir/data" --compute-nodes "$nodes" --slices-per-node 2 --spectrum-workers 0 --allow-path "$dir/tbl"; then
  echo "the cluster did not start"; tail -20 "$dir/data.log"; exit 1
fi
load_data "$dir" || exit 1
# The answers before anything happens to the cluster.
load_expected "$dir" "$queries" || exit 1

# The reader (one line per query run in $dir/reads) and the writer (acknowledged transactions
# in $dir/acked): tests/lib/load_loops.sh.
load_reader "$dir" "${qs[@]}"
load_writer "$dir"

full_service() {
  [ "$(cluster_psql -Atc "select count(*) from stv_nodes where role = 'compute' and state = 'up' and mirror_state = 'in sync'" 2> /dev/null)" = "$nodes" ]
}
tried=0 wiped=0 recovered=0 lost=0 partial=0
service_ms=() full_ms=()
for run in $(seq 1 "$injections"); do
  [ $SECONDS -lt $deadline ] || break
  r=$(rnd "$run" 1 20)
  sleep "$((r / 10 + 1)).$((r % 10))"   # 1.0 - 2.9 s of queries and writes first
  victim=$(pgrep -g "$pgid" -f " compute " | sed -n "$(( $(rnd "$run" 2 "$nodes") + 1 ))p")
  [ -n "$victim" ] || victim=$(pgrep -g "$pgid" -f " compute " | sed -n 1p)
  [ -n "$victim" ] || { echo "run $run: no compute node running"; break; }
  data=$(tr '\0' '\n' < "/proc/$victim/cmdline" | grep -A1 -x -- --data | tail -1)
  tried=$((tried + 1))
  t0=$(now_ms)
  kill -KILL "$victim"
  if [ "$wipe_every" -gt 0 ] && [ $((run % wipe_every)) = 0 ] && [ -n "$data" ]; then
    mv "$data" "$data.lost.$run" && wiped=$((wiped + 1))   # a replaced disk: nothing of it is read again
    rm -rf "$data.lost.$run" &
  fi
  ok=0
  for _ in $(seq 1 600); do
    cluster_alive || break
    if cluster_psql -Atc "select count(*) from lineitem" > /dev/null 2>&1; then ok=1; break; fi
    sleep 0.1
  done
  t1=$(now_ms)
  full=0
  for _ in $(seq 1 600); do
    cluster_alive || break
    if full_service; then full=1; break; fi
    sleep 0.1
  done
  t2=$(now_ms)
  if [ "$ok" != 1 ] || [ "$full" != 1 ]; then
    echo "run $run: the cluster did not recover (service $ok, full service $full)"; tail -15 "$dir/data.log"; break
  fi
  recovered=$((recovered + 1))
  service_ms+=($((t1 - t0))); full_ms+=($((t2 - t0)))
  cp "$dir/acked" "$dir/acked.now"
  cluster_psql -Atc "$ledger_state_sql" \
    > "$dir/state" 2>&1
  read -r run_lost run_partial <<< "$(ledger_verdict "$dir/acked.now" "$dir/state")"
  lost=$((lost + run_lost)); partial=$((partial + run_partial))
  [ "$run_lost" = 0 ] && [ "$run_partial" = 0 ] || echo "run $run: $run_lost acknowledged transactions missing, $run_partial half-applied"
done
touch "$dir/stop"
for p in "${loops[@]}"; do
  for _ in $(seq 1 300); do kill -0 "$p" 2> /dev/null || break; sleep 0.1; done
  kill "$p" 2> /dev/null
done
loops=()
stats() {  # median and max of the arguments
  [ $# -gt 0 ] || { echo "- -"; return; }
  printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)], v[NR] }'
}
read -r svc_med svc_max <<< "$(stats "${service_ms[@]}")"
read -r full_med full_max <<< "$(stats "${full_ms[@]}")"
reads=$(wc -l < "$dir/reads")
right=$(grep -c '^ok$' "$dir/reads")
wrong=$(grep -c '^wrong' "$dir/reads")
retryable=$(( $(grep -c '^error 40001$' "$dir/reads") + $(grep -c '^ERROR:  40001' "$dir/write_errors") ))
other=$(( $(grep '^error' "$dir/reads" | grep -vc '^error 40001$') + $(grep '^ERROR:' "$dir/write_errors" | grep -vc '^ERROR:  40001') ))
retried=$(grep -c 'is run again after a compute node failed' "$dir/data.log")
failovers=$(grep -c 'serves its slices from their mirror' "$dir/data.log")
echo "failover: injections=$tried wiped=$wiped recovered=$recovered acked_commits=$(wc -l < "$dir/acked") lost_commits=$lost" \
     "half_applied=$partial queries=$reads right=$right wrong=$wrong retryable_errors=$retryable other_errors=$other" \
     "retried_queries=$retried standins=$failovers service_ms_median=$svc_med service_ms_max=$svc_max" \
     "full_service_ms_median=$full_med full_service_ms_max=$full_max"
if [ "$other" != 0 ]; then
  echo "errors other than 40001:"; grep -h '^ERROR:' "$dir/write_errors" "$dir/read_errors" 2> /dev/null | grep -v '40001' | sort | uniq -c | sed -n 1,10p
fi
[ "$tried" -gt 0 ] && [ "$recovered" = "$tried" ] && [ "$lost" = 0 ] && [ "$partial" = 0 ] && [ "$wrong" = 0 ] && [ "$other" = 0 ]
