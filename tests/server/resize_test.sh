#!/usr/bin/env bash
# Elastic resize (issue 20, item 6): a `strata serve` cluster with TPC-H SF 0.01 and a ledger goes
# from 2 to 3 compute nodes (`strata resize`) and back to 2 (RESIZE CLUSTER) while a reader cycles
# through TPC-H queries and a writer commits ledger transactions. Checked:
#   * every answer during and after the resizes is the one from before (no wrong answer; reads
#     never fail); writes go on (at most a retryable 40001 for a transaction that spanned the
#     switch) and every acknowledged transaction is there, whole;
#   * the slices are balanced (stv_slices: 2,1,1 on three nodes, 2,2 on two), every block of a
#     moved slice is on its new node, the mirrors around the new ring get back in sync, and the
#     removed node's process is stopped;
#   * the resized shape is durable: a cluster resized to 4 and restarted comes back on 4 nodes;
#   * bad requests: a count outside 1 … slices (22023), inside a transaction block (25001), by a
#     user who is not a superuser (42501);
#   * crashes (fault points): the leader just before / just after the switch commit (the old /
#     the new shape after a restart, every row), a node dying as it sends blocks (55000, nothing
#     changed, the next resize succeeds);
#   * nodes started by hand: a new one waits until RESIZE CLUSTER lets it in.
#
#   tests/server/resize_test.sh path/to/strata path/to/strata-dbgen tests/tpch/queries
# RESIZE_SCALE (default 0.01) sets the TPC-H scale factor: bench/resize/run runs it at SF 1.
set -uo pipefail
strata=${1:?usage: resize_test.sh strata strata-dbgen queries_dir}
dbgen=${2:?}
queries=${3:?}
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/check.sh"
source "$here/../lib/strata_cluster.sh"
source "$here/../lib/ledger.sh"
source "$here/../lib/load_loops.sh"
dir=$(mktemp -d)
loops=()
cleanup() {
  touch "$dir/stop"
  for p in "${loops[@]}"; do kill "$p" 2> /dev/null; done
  cluster_kill
  [ -n "${KEEP_WORK:-}" ] && echo "work folder kept: $dir" || rm -rf "$dir"
}
trap cleanup EXIT
pg() { cluster_psql -At -v VERBOSITY=verbose "$@"; }

"$dbgen" --scale "${RESIZE_SCALE:-0.01}" --out "$dir/tbl" > /dev/null || { echo "dbgen failed"; exit 1; }
cluster_start "$strata" "$dir/data" --compute-nodes 2 --slices-per-node 2 --spectrum-workers 0 --allow-path "$dir/tbl" ||
  { echo "the cluster did not start"; tail -20 "$dir/data.log"; exit 1; }
load_data "$dir" || exit 1
# The answers before anything happens to the cluster.
load_expected "$dir" "$queries" || exit 1
# Every table's rows, and a join to a DISTSTYLE ALL table on every node.
totals_sql="select (select count(*) from lineitem) || '|' || (select sum(o_orderkey) from orders) || '|' ||
  (select count(*) from customer c join nation n on c.c_nationkey = n.n_nationkey) || '|' || (select count(*) from nation)"
totals=$(pg -c "$totals_sql")

load_reader "$dir" "${qs[@]}"
load_writer "$dir"
wait_lines() {  # file count: until it has that many lines (bounded, 60 s)
  for _ in $(seq 1 300); do [ "$(wc -l < "$1")" -ge "$2" ] && return 0; sleep 0.2; done
  return 1
}
layout() { pg -c "select listagg(node || ':' || n, ' ') within group (order by node) from (select node, count(*) n from stv_slices group by node) s"; }
in_sync() {  # node count: until that many compute nodes are up with their mirrors in sync (bounded, 60 s)
  for _ in $(seq 1 300); do
    [ "$(pg -c "select count(*) from stv_nodes where role = 'compute' and state = 'up' and mirror_state = 'in sync'" 2> /dev/null)" = "$1" ] && return 0
    sleep 0.2
  done
  return 1
}
placed() {  # lineitem's blocks and slices as listed by the nodes, each for the slices it holds now
  pg -c "select count(*) || '|' || count(distinct slice) from stv_blocklist where tbl = (select oid from pg_class where relname = 'lineitem')"
}
blocks_before=$(placed)
wait_lines "$dir/reads" 3; wait_lines "$dir/acked" 20

# 2 -> 3 nodes, by the CLI, under load.
PGSSLMODE=disable "$strata" resize --nodes 3 --port "$port" > "$dir/resize3.out" 2>&1 && rc=0 || rc=$?
check "strata resize --nodes 3 succeeds" "0" "$rc"
check "and says what it moved" "1" "$(grep -c 'resized from 2 to 3 compute nodes: 1 slices moved' "$dir/resize3.out")"
check "three nodes hold the four slices: 2, 1, 1" "0:2 1:1 2:1" "$(layout)"
check "stv_nodes lists three compute nodes, each with its slices" "0:2 1:1 2:1" \
  "$(pg -c "select listagg(node || ':' || slices, ' ') within group (order by node) from stv_nodes where role = 'compute'")"
check "every block is listed by the node now holding its slice" "$blocks_before" "$(placed)"
in_sync 3; check "the mirrors around the new ring are in sync" "0" "$?"
check "answers are the same on three nodes" "$totals" "$(pg -c "$totals_sql")"
reads_at=$(wc -l < "$dir/reads"); acked_at=$(wc -l < "$dir/acked")
wait_lines "$dir/reads" $((reads_at + 3)); wait_lines "$dir/acked" $((acked_at + 20))
check "reads and writes go on after the resize" "0" "$?"

# 3 -> 2 nodes, by SQL, under load.
pg -c "resize cluster to 2 nodes" > "$dir/resize2.out" 2>&1 && rc=0 || rc=$?
check "RESIZE CLUSTER TO 2 NODES succeeds" "0" "$rc"
check "two nodes hold two slices each" "0:2 1:2" "$(layout)"
stopped=1
for _ in $(seq 1 100); do pgrep -g "$pgid" -f "compute-2 " > /dev/null || { stopped=0; break; }; sleep 0.1; done
check "the removed node's process is stopped" "0" "$stopped"
in_sync 2; check "the mirrors are in sync again" "0" "$?"
reads_at=$(wc -l < "$dir/reads"); acked_at=$(wc -l < "$dir/acked")
wait_lines "$dir/reads" $((reads_at + 3)); wait_lines "$dir/acked" $((acked_at + 20))
touch "$dir/stop"
for p in "${loops[@]}"; do
  for _ in $(seq 1 600); do kill -0 "$p" 2> /dev/null || break; sleep 0.1; done
  kill "$p" 2> /dev/null
done
loops=()
check "no wrong answer during the resizes" "0" "$(grep -c '^wrong' "$dir/reads")"
check "no read failed" "0" "$(grep -c '^error' "$dir/reads")"
check "no write failed but with the retryable 40001" "0" "$(grep '^ERROR:' "$dir/write_errors" | grep -vc '40001')"
pg -c "$ledger_state_sql" > "$dir/state" 2>&1
check "every acknowledged transaction is there, whole, nothing half-applied" "0 0" "$(ledger_verdict "$dir/acked" "$dir/state")"
echo "resize: reads=$(wc -l < "$dir/reads") acked_commits=$(wc -l < "$dir/acked") retryable_write_errors=$(grep -c '^ERROR:  40001' "$dir/write_errors")" \
     "2to3=[$(grep -o 'slices moved.*' "$dir/resize3.out")] 3to2=[$(grep -o 'slices moved.*' "$dir/resize2.out")]"
check "answers are the same on two nodes" "$totals" "$(pg -c "$totals_sql")"
for f in "${qs[@]}"; do
  q=$(basename "$f" .sql); q=${q#[qQ]}
  check "TPC-H q$q after both resizes" "" "$(pg -f "$f" 2>&1 | cmp - "$dir/expected.$q" 2>&1)"
done
check "stl_failover records both resizes" "2" "$(pg -c "select count(*) from stl_failover where event = 'resize'")"

# Bad requests change nothing.
err() { pg -c "$1" 2>&1 | grep -o 'ERROR:  [0-9A-Z]\{5\}' | sed -n 1p; }
check "more nodes than slices: 22023" "ERROR:  22023" "$(err "resize cluster to 5")"
check "inside a transaction block: 25001" "ERROR:  25001" "$(err "begin; resize cluster to 3")"
pg -c "create user rsz password 'Resize123'" > /dev/null
check "not a superuser: 42501" "ERROR:  42501" \
  "$(PGPASSWORD=Resize123 PGCONNECT_TIMEOUT=5 PGSSLMODE=disable psql -h 127.0.0.1 -p "$port" -U rsz -d dev -X -qAt -v VERBOSITY=verbose -c "resize cluster to 3" 2>&1 | grep -o 'ERROR:  [0-9A-Z]\{5\}' | sed -n 1p)"
check "still two nodes" "0:2 1:2" "$(layout)"

# The shape is durable: resized to 4, restarted, it serves on 4 nodes.
# Node 0 gives slice 1 away: VACUUM's garbage collection then removes its blocks there (each store
# keeps what its own slices and the mirror it keeps need). The first VACUUM takes away every
# other garbage, so that the second can only remove what the resize left behind.
sleep 1.2
pg -c "vacuum" > /dev/null 2>&1
pg -c "resize cluster to 4" > /dev/null 2>&1
check "four nodes, a slice each" "0:1 1:1 2:1 3:1" "$(layout)"
files() { "$strata" objects store "$dir/data/compute-0" | grep -c '^block ' || true; }
before=$(files)
sleep 1.2
pg -c "vacuum" > /dev/null 2>&1
after=$(files)
check "VACUUM frees the blocks of the slice node 0 gave away" "1" "$([ "$after" -lt "$before" ] && echo 1 || echo "$before -> $after")"
check "and every answer is the same" "$totals" "$(pg -c "$totals_sql")"
cluster_kill
cluster_start "$strata" "$dir/data" --spectrum-workers 0 || { echo "the cluster did not restart"; tail -20 "$dir/data.log"; exit 1; }
check "after a restart: four nodes, a slice each" "0:1 1:1 2:1 3:1" "$(layout)"
check "and the same answers" "$totals" "$(pg -c "$totals_sql")"

# Crashes in the middle (storage/fault_point.h; the arm file makes one process die once): the
# leader just before the switch commit (the old shape stays), just after it (the new one holds),
# and a node sending a moved slice's blocks (the resize is abandoned; nothing changes).
crash_start() {  # point
  cluster_kill
  STRATA_FAULT_CRASH=$1 STRATA_FAULT_ARM="$dir/arm" cluster_start "$strata" "$dir/data" --spectrum-workers 0 ||
    { echo "the cluster did not restart"; tail -20 "$dir/data.log"; exit 1; }
  in_sync "$(pg -c "select count(distinct node) from stv_slices")"
  touch "$dir/arm"
}
restart() {
  cluster_kill
  cluster_start "$strata" "$dir/data" --spectrum-workers 0 || { echo "the cluster did not restart"; tail -20 "$dir/data.log"; exit 1; }
}
crash_start resize_before_switch
pg -c "resize cluster to 2" > /dev/null 2>&1
check "the leader died just before the switch" "1" "$(grep -c 'fault injection: killing pid [0-9]* at resize_before_switch' "$dir/data.log")"
restart
check "the old shape stays: four nodes" "0:1 1:1 2:1 3:1" "$(layout)"
check "with every row" "$totals" "$(pg -c "$totals_sql")"
crash_start resize_after_switch
pg -c "resize cluster to 2" > /dev/null 2>&1
check "the leader died just after the switch" "1" "$(grep -c 'fault injection: killing pid [0-9]* at resize_after_switch' "$dir/data.log")"
restart
check "the new shape holds: two nodes" "0:2 1:2" "$(layout)"
check "with every row" "$totals" "$(pg -c "$totals_sql")"
in_sync 2; check "and the mirrors are rebuilt around the new ring" "0" "$?"
crash_start push_objects
out=$(pg -c "resize cluster to 3" 2>&1)
check "a node died sending blocks" "1" "$(grep -c 'fault injection: killing pid [0-9]* at push_objects' "$dir/data.log")"
check "and abandoned the resize: 55000" "1" "$(echo "$out" | grep -c 'ERROR:  55000: the resize to 3 compute nodes was abandoned and nothing changed')"
check "nothing changed" "0:2 1:2|$totals" "$(layout)|$(pg -c "$totals_sql")"
in_sync 2
pg -c "resize cluster to 3" > /dev/null 2>&1 && rc=0 || rc=$?
check "once the node is back, the resize succeeds" "0|0:2 1:1 2:1|$totals" "$rc|$(layout)|$(pg -c "$totals_sql")"
cluster_kill
check "a restart with another --compute-nodes is refused, naming the way to resize" "2|1" \
  "$("$strata" serve --data "$dir/data" --compute-nodes 2 --port 1 > "$dir/shape.log" 2>&1; echo $?)|$(grep -c 'RESIZE CLUSTER TO n' "$dir/shape.log")"

# Nodes started by hand (a leader and its nodes on several hosts): the new node is started first
# and waits to be let in; the removed one is stopped by its operator afterwards.
hand=()
stop_hand() { for p in "${hand[@]}"; do kill -9 "$p" 2> /dev/null; wait "$p" 2> /dev/null; done; hand=(); }
trap 'stop_hand; cleanup' EXIT
free_port; hport=$port
free_port; rpc=$port
"$strata" leader --data "$dir/h/leader" --listen "127.0.0.1:$hport" --rpc-listen "127.0.0.1:$rpc" \
  --compute-nodes 2 --slices-per-node 2 > "$dir/h.log" 2>&1 &
hand+=($!)
for _ in $(seq 1 100); do [ -s "$dir/h/leader/cluster.secret" ] && break; sleep 0.1; done
start_hand() {
  "$strata" compute --join "127.0.0.1:$rpc" --data "$dir/h/c$1" --node-id "$1" \
    --cluster-secret-file "$dir/h/leader/cluster.secret" >> "$dir/h/c$1.log" 2>&1 &
  hand+=($!)
}
mkdir -p "$dir/h"
start_hand 0; start_hand 1
port=$hport
for _ in $(seq 1 100); do pg -c "select 1" > /dev/null 2>&1 && break; sleep 0.2; done
pg -c "create table h (k int, v int) distkey(k); create table ha (k int) diststyle all;
       insert into h select g, g from generate_series(1, 5000) g; insert into ha select g from generate_series(1, 50) g" > /dev/null
hwant=$(pg -c "select count(*) || '|' || sum(v) || '|' || (select count(*) from h join ha using (k)) from h")
start_hand 2
sleep 1
check "a node started by hand before the resize is not let in yet" "2" \
  "$(pg -c "select count(*) from stv_nodes where role = 'compute'")"
pg -c "resize cluster to 3" > "$dir/h/resize.out" 2>&1 && rc=0 || rc=$?
check "RESIZE CLUSTER TO 3 takes it in" "0|0:2 1:1 2:1" "$rc|$(layout)"
check "the same rows on three hand-started nodes" "$hwant" \
  "$(pg -c "select count(*) || '|' || sum(v) || '|' || (select count(*) from h join ha using (k)) from h")"
pg -c "insert into h select g, 1 from generate_series(5001, 6000) g" > /dev/null
hwant=$(pg -c "select count(*) || '|' || sum(v) from h")
pg -c "resize cluster to 2" > /dev/null 2>&1 && rc=0 || rc=$?
check "and RESIZE CLUSTER TO 2 lets it go, with every row" "0|0:2 1:2|$hwant" "$rc|$(layout)|$(pg -c "select count(*) || '|' || sum(v) from h")"
stop_hand
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
