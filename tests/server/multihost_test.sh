#!/usr/bin/env bash
# A cluster across hosts (issue 20, item 2): four network namespaces joined by a bridge stand for
# four hosts — the leader, two compute nodes and a spectrum worker, each started by hand in its
# own namespace with its own address (--listen, --rpc-listen, --advertise by default) — and the
# TPC-H SF 0.01 differential check (tpch_diff against PostgreSQL 15) runs through the leader's
# address from the host. Namespaces, links and processes are removed at the end, also on failure.
# Needs root (CI runs as root).
#
#   tests/server/multihost_test.sh path/to/strata path/to/strata-dbgen path/to/tpch_diff tests/tpch
set -euo pipefail
strata=${1:?usage: multihost_test.sh strata strata-dbgen tpch_diff tpch_dir}
dbgen=${2:?}
tpch_diff=${3:?}
tpch=${4:?}
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/check.sh"
if [ "$(id -u)" != 0 ] || ! command -v ip > /dev/null; then
  echo "FAIL: this test builds network namespaces: it needs root and iproute2"
  exit 1
fi
work=$(mktemp -d)
chmod 755 "$work"   # tpch_diff's PostgreSQL runs as the postgres user
tag=$(( $$ % 10000 ))
net=10.213.$(( $$ % 250 ))
bridge=stbr$tag
roles=(l c0 c1 s0)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2> /dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2> /dev/null || true; done
  for r in "${roles[@]}"; do ip netns del "st$tag$r" 2> /dev/null || true; done
  ip link del "$bridge" 2> /dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The "hosts": one namespace each, a veth pair into the bridge, addresses .1 to .4; the host
# itself is .254 on the bridge.
ip link add "$bridge" type bridge
ip addr add "$net.254/24" dev "$bridge"
ip link set "$bridge" up
i=0
for r in "${roles[@]}"; do
  i=$((i + 1))
  ns=st$tag$r
  ip netns add "$ns"
  ip link add "stv$tag$r" type veth peer name "stp$tag$r"
  ip link set "stp$tag$r" netns "$ns"
  ip link set "stv$tag$r" master "$bridge" up
  ip netns exec "$ns" ip addr add "$net.$i/24" dev "stp$tag$r"
  ip netns exec "$ns" ip link set "stp$tag$r" up
  ip netns exec "$ns" ip link set lo up
done

"$dbgen" --scale 0.01 --out "$work/tbl" > /dev/null
chmod -R a+rX "$work/tbl"
ip netns exec "st${tag}l" "$strata" leader --data "$work/leader" --listen "$net.1:5439" --rpc-listen "$net.1:6439" \
  --compute-nodes 2 --slices-per-node 2 --allow-path "$work/tbl" > "$work/leader.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do [ -s "$work/leader/cluster.secret" ] && break; sleep 0.1; done
secret=$work/leader/cluster.secret
for n in 0 1; do
  ip netns exec "st${tag}c$n" "$strata" compute --join "$net.1:6439" --data "$work/c$n" --node-id "$n" \
    --listen "$net.$((n + 2))" --cluster-secret-file "$secret" --allow-path "$work/tbl" > "$work/c$n.log" 2>&1 &
  pids+=($!)
done
ip netns exec "st${tag}s0" "$strata" spectrum --join "$net.1:6439" --data "$work/s0" --listen 0.0.0.0 \
  --cluster-secret-file "$secret" > "$work/s0.log" 2>&1 &
pids+=($!)

pg() { PGCONNECT_TIMEOUT=5 PGSSLMODE=disable psql -h "$net.1" -p 5439 -U strata -d dev -X -q -AtF '|' -c "$1"; }
up=0
for _ in $(seq 1 150); do
  if [ "$(pg 'select count(distinct node) from stv_slices' 2> /dev/null)" = 2 ]; then up=1; break; fi
  sleep 0.2
done
check "the leader answers on its namespace's address" "1" "$up"
[ "$up" = 1 ] || { tail -5 "$work"/*.log; echo "$passed passed, $failed failed"; exit 1; }
check "the leader does not listen on loopback" "1" \
  "$(ip netns exec "st${tag}l" bash -c "PGCONNECT_TIMEOUT=2 PGSSLMODE=disable psql -h 127.0.0.1 -p 5439 -U strata -d dev -Atc 'select 1' > /dev/null 2>&1; echo \$?" | sed 's/^2$/1/')"
check "each compute node serves on its own host's address" "$net.2|$net.3" \
  "$(grep -ho 'serving on [0-9.]*' "$work/c0.log" "$work/c1.log" | cut -d' ' -f3 | paste -sd'|')"
check "a node listening on every address advertises the one it reaches the leader from" "1" \
  "$(grep -c 'serving on 0.0.0.0' "$work/s0.log")"

# The TPC-H differential check through the leader's address: the compute nodes read the .tbl
# files on their own hosts (the namespaces share the file system) and exchange rows between hosts.
"$tpch_diff" --strata-conninfo "host=$net.1 port=5439 user=strata dbname=dev sslmode=disable" --dbgen "$dbgen" \
  --data "$work/tbl" --queries "$tpch" --scale 0.01 > "$work/tpch.log" 2>&1 && rc=0 || rc=$?
check "TPC-H SF 0.01 across four namespaces matches PostgreSQL" "0" "$rc"
[ "$rc" = 0 ] || tail -30 "$work/tpch.log"
check "all 22 queries were compared" "22 passed, 0 failed" "$(grep -o '^[0-9]* passed, [0-9]* failed' "$work/tpch.log")"

# Heartbeats and failover (items 3, 5): a node that dies has its slices served by its mirror on the
# other host within seconds; restarted, it resyncs and serves them again.
state_of() { pg "select state from stv_nodes where role = 'compute' and node = $1"; }
check "both compute nodes are up" "up|up" "$(pg "select listagg(state, '|') within group (order by node) from stv_nodes where role = 'compute'")"
rows=$(pg "select count(*) from lineitem")
kill -9 "${pids[2]}"
for _ in $(seq 1 50); do [ "$(state_of 1)" = standin ] && break; sleep 0.2; done
check "a killed compute node's slices are served by its mirror on the other host within seconds" "standin|0" \
  "$(pg "select state || '|' || served_by from stv_nodes where role = 'compute' and node = 1")"
check "queries answer from the mirror across hosts" "$rows" "$(pg "select count(*) from lineitem")"
ip netns exec "st${tag}c1" "$strata" compute --join "$net.1:6439" --data "$work/c1" --node-id 1 \
  --listen "$net.3" --cluster-secret-file "$secret" --allow-path "$work/tbl" >> "$work/c1.log" 2>&1 &
pids[2]=$!
for _ in $(seq 1 50); do [ "$(state_of 1)" = up ] && break; sleep 0.2; done
check "a restarted compute node is up again" "up" "$(state_of 1)"
check "and serves its own slices" "1" "$(pg "select served_by from stv_nodes where role = 'compute' and node = 1")"
# A restarted leader: the nodes started by hand find it again by themselves.
kill -9 "${pids[0]}"
wait "${pids[0]}" 2> /dev/null || true
ip netns exec "st${tag}l" "$strata" leader --data "$work/leader" --listen "$net.1:5439" --rpc-listen "$net.1:6439" \
  --allow-path "$work/tbl" >> "$work/leader.log" 2>&1 &
pids[0]=$!
again=""
for _ in $(seq 1 100); do
  again=$(pg "select count(*) from lineitem" 2> /dev/null || true)
  [ -n "$again" ] && break
  sleep 0.2
done
check "after a leader restart the hand-started nodes rejoin and queries answer" "$rows" "$again"
check "the nodes noticed the new leader" "2" "$(cat "$work/c0.log" "$work/c1.log" | grep -c 'joined a restarted leader')"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
