#!/usr/bin/env bash
# Mirrored blocks and failover (issue 20, items 4, 5, 7), in two parts.
#
# 1. Step by step, with a leader and two compute nodes started by hand (nothing restarts a
#    killed one): commits reach the other node's mirror; a killed node's slices are served by
#    its mirror at once, reads and writes go on; a transaction whose uncommitted writes were on
#    the dead node gets 40001 at COMMIT and leaves nothing; the node returns on an empty disk (a
#    replaced one) and resyncs; then the *other* node dies and every commit is still there —
#    the returning node's mirror of it was rebuilt.
# 2. The random loop (tests/server/failover_loop.sh) with a few injections under `strata serve`:
#    TPC-H answers compared with the ones before any kill, ledger transactions checked.
#
#   tests/server/failover_test.sh path/to/strata path/to/strata-dbgen tests/tpch/queries
set -uo pipefail
strata=${1:?usage: failover_test.sh strata strata-dbgen queries_dir}
dbgen=${2:?}
queries=${3:?}
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/check.sh"
source "$here/../lib/free_port.sh"
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2> /dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2> /dev/null || true; done
  [ -n "${KEEP_WORK:-}" ] && echo "work folder kept: $work" || rm -rf "$work"
}
trap cleanup EXIT

free_port; pg_port=$port
free_port; rpc_port=$port
"$strata" leader --data "$work/leader" --listen "127.0.0.1:$pg_port" --rpc-listen "127.0.0.1:$rpc_port" \
  --compute-nodes 2 --slices-per-node 2 > "$work/leader.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do [ -s "$work/leader/cluster.secret" ] && break; sleep 0.1; done
start_compute() {  # node id; sets pids[node + 1]
  "$strata" compute --join "127.0.0.1:$rpc_port" --data "$work/c$1" --node-id "$1" \
    --cluster-secret-file "$work/leader/cluster.secret" >> "$work/c$1.log" 2>&1 &
  pids[$(($1 + 1))]=$!
}
start_compute 0
start_compute 1
pg() { PGCONNECT_TIMEOUT=5 PGSSLMODE=disable psql -h 127.0.0.1 -p "$pg_port" -U strata -d dev -X -q -AtF '|' -v VERBOSITY=verbose "$@"; }
nodes() { pg -c "select listagg(node || ':' || state || ':' || coalesce(served_by, -1) || ':' || mirror_state, ' ') within group (order by node) from stv_nodes where role = 'compute'" 2> /dev/null; }
wait_nodes() {  # expected nodes() text; bounded (30 s)
  for _ in $(seq 1 150); do [ "$(nodes)" = "$1" ] && return 0; sleep 0.2; done
  return 1
}
wait_nodes "0:up:0:in sync 1:up:1:in sync"
check "two nodes up, each mirrored by the other" "0:up:0:in sync 1:up:1:in sync" "$(nodes)"

pg -c "create table t (k int, v varchar(20)) distkey(k); insert into t select g, 'v' || g from generate_series(1, 4000) g;
       insert into t select k + 4000, v from t; insert into t select k + 8000, v from t" > /dev/null
expect() { pg -c "select count(*) || '|' || sum(k) from t"; }
want=$(expect)
check "the table is written to all four slices" "4" "$(pg -c "select count(distinct slice) from stv_blocklist where tbl = (select oid from pg_class where relname = 't')")"
# A store's objects (its files and its object log): "kind id size" lines.
objects() { "$strata" objects store "$work/$1" | cut -d' ' -f1-3 | sort; }
mirrored() { objects "$1" | grep -c '^manifest '; }
# One commit (the three statements are one transaction): each node's two slices have one new
# manifest each, and each is on the other node's mirror.
check "each node's committed manifests are on the other node's mirror" "2|2" "$(mirrored c1/mirror-0)|$(mirrored c0/mirror-1)"
# Ids are content hashes: the same id and size on both sides is the same object. Every object
# of the mirror is one its node holds.
check "the very same objects" "" "$(comm -23 <(objects c1/mirror-0) <(objects c0))"

# A transaction writes to both nodes; node 1 dies before COMMIT.
out=$(pg 2>&1 <<SQL
begin;
insert into t select k + 100000, v from t where k <= 1000;
\! kill -9 ${pids[2]}
\! sleep 5
commit;
SQL
)
wait_nodes "0:up:0:behind 1:standin:0:in sync"
check "node 1's slices are served by its mirror on node 0" "0:up:0:behind 1:standin:0:in sync" "$(nodes)"
check "a transaction whose writes were on the dead node fails at COMMIT with 40001" "1" "$(echo "$out" | grep -c 'ERROR:  40001')"
check "and leaves nothing behind; every committed row is read from the mirror" "$want" "$(expect)"
pg -c "insert into t select k + 20000, v from t where k <= 500" > /dev/null 2> "$work/err" && rc=0 || rc=1
check "writes go on while node 1 is away" "0" "$rc"
want=$(expect)
check "and are read back" "$want" "$(pg -c "select count(*) || '|' || sum(k) from t where k > 0")"

# Node 1 returns on an empty disk: it resyncs from its mirror, then takes its slices back.
rm -rf "$work/c1"
start_compute 1
wait_nodes "0:up:0:in sync 1:up:1:in sync"
check "a node on a replaced disk resyncs and serves its own slices; both mirrors in sync" \
  "0:up:0:in sync 1:up:1:in sync" "$(nodes)"
check "with every commit" "$want" "$(expect)"
check "the leader said how much it resynced" "1" "$(grep -c 'compute node 1 serves its slices again (resynced [1-9]' "$work/leader.log")"

# Now node 0 dies: node 1's new disk holds node 0's mirror again.
kill -9 "${pids[1]}"
wait "${pids[1]}" 2> /dev/null
for _ in $(seq 1 50); do [ "$(nodes | cut -d' ' -f1-2)" = "0:standin:1:in sync" ] && break; sleep 0.2; done
check "node 0's slices are served from the mirror rebuilt on node 1's new disk" "$want" "$(expect)"
check "stv_nodes says so" "0:standin:1:in sync" "$(nodes | cut -d' ' -f1-2)"
start_compute 0
wait_nodes "0:up:0:in sync 1:up:1:in sync"
check "node 0 is back" "0:up:0:in sync 1:up:1:in sync" "$(nodes)"
for _ in $(seq 1 50); do grep -q 'the stand-in for node 0 retires' "$work/c1.log" && break; sleep 0.2; done
check "the stand-in retired" "1" "$(grep -c 'the stand-in for node 0 retires' "$work/c1.log")"
check "nothing was lost" "$want" "$(expect)"
events() { pg -c "select listagg(event, ',') within group (order by eventtime) from stl_failover where node = $1 and event in ('down', 'standin', 'serving')"; }
check "stl_failover tells node 1's story" "down,standin,serving" "$(events 1 | sed 's/^serving,//')"
check "and node 0's" "down,standin,serving" "$(events 0 | sed 's/^serving,//')"
check "and that the returning node on an empty disk got its objects back" "1" \
  "$(pg -c "select count(*) from stl_failover where node = 1 and event = 'serving' and objects > 0 and bytes > 0")"
check "and the mirror that missed commits was repaired" "t|t" \
  "$(pg -c "select count(*) > 0 from stl_failover where node = 0 and event = 'mirror behind'")|$(pg -c "select count(*) > 0 from stl_failover where node = 0 and event = 'mirror repaired' and objects > 0")"
for p in "${pids[@]}"; do kill -9 "$p" 2> /dev/null; wait "$p" 2> /dev/null; done
pids=()

# 2. Random kills under load.
"$here/failover_loop.sh" --strata "$strata" --dbgen "$dbgen" --queries "$queries" --injections 6 --wipe-every 3 \
  --seed "$(( $$ % 1000 ))" --max-minutes 4 --work "$work/loop" > "$work/loop.out" 2>&1 && rc=0 || rc=$?
cat "$work/loop.out"
check "six random kills under TPC-H queries and ledger writes: nothing lost, no wrong answer" "0" "$rc"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
