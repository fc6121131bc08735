#!/usr/bin/env bash
# Trust and supervision of a real `strata serve` cluster on loopback ports (issue 14, items 4
# and 5): the cluster RPC drops peers that do not prove the cluster secret (a raw gc frame
# deletes nothing), compute/spectrum refuse to start without a usable secret file,
# --max-connections refuses the extra client with 53300, --authentication-timeout closes a
# silent client, a compute node killed with SIGKILL again and again comes back every time,
# children hold no listening socket of the leader, and stale temporary files are swept at
# start-up. Raw protocol probes live in raw_clients.py. Every wait is bounded; the cluster is
# stopped by process group.
set -euo pipefail
here=$(dirname "$0")
source "$here/../lib/free_port.sh"
strata=${1:?usage: cluster_trust_test.sh path/to/strata}
probe() { python3 "$here/raw_clients.py" "$@"; }
dir=$(mktemp -d)
pgid=""
stop() {
  if [ -n "$pgid" ]; then kill -KILL -- "-$pgid" 2>/dev/null || true; fi
  for _ in $(seq 1 50); do kill -0 "$pgid" 2>/dev/null || break; sleep 0.1; done
  pgid=""
}
cleanup() { stop; rm -rf "$dir"; }
trap cleanup EXIT

psql_run() { PGCONNECT_TIMEOUT=5 psql -h 127.0.0.1 -p "$port" -U strata -d dev -X -v ON_ERROR_STOP=1 "$@"; }

source "$here/../lib/check.sh"
check_ok() {  # name, command...: passes when the command succeeds
  local name=$1; shift
  if out=$("$@" 2>&1); then passed=$((passed + 1)); else echo "FAIL $name: $out"; failed=$((failed + 1)); fi
}

start() {  # starts the cluster on $dir/data: 2 compute nodes, 1 spectrum worker, tight limits
  local ready=0
  : > "$dir/server.log"
  for attempt in 1 2 3; do
    free_port
    setsid "$strata" serve --data "$dir/data" --port "$port" --compute-nodes 2 --spectrum-workers 1 \
      --max-connections 3 --authentication-timeout 2 >> "$dir/server.log" 2>&1 &
    pgid=$!
    disown "$pgid"
    for _ in $(seq 1 100); do
      if psql_run -Atc "select 1" > /dev/null 2>&1; then ready=1; break; fi
      kill -0 "$pgid" 2>/dev/null || break
      sleep 0.2
    done
    [ "$ready" = 1 ] && return 0
    stop
  done
  echo "server did not start"; tail -20 "$dir/server.log"; exit 1
}

# The RPC port of compute node $1 as last announced (it changes when the node restarts).
node_port() { grep "compute $1 LOG:  node $1 serving on" "$dir/server.log" | tail -1 | sed 's/.*://'; }
leader_rpc_port() { grep -o "cluster rpc on 127.0.0.1:[0-9]*" "$dir/server.log" | tail -1 | sed 's/.*://'; }
compute_pid() { pgrep -P "$pgid" -f -- "compute --join .* --data $dir/data/compute-$1 " | sed -n 1p; }
count() { psql_run -Atc "select count(*), sum(id) from t"; }

start
psql_run -qc "create table t (id int) distkey(id)"
psql_run -qc "insert into t values (1),(2),(3),(4),(5),(6),(7),(8),(9),(10)"
check "rows before" "10|55" "$(count)"
check "secret file mode" "600" "$(stat -c %a "$dir/data/cluster.secret")"

# (a) A well-formed gc frame without the handshake is dropped; every block survives.
check_ok "unauthenticated gc dropped (node 0)" probe rpc-unauthenticated "$(node_port 0)"
check_ok "unauthenticated gc dropped (node 1)" probe rpc-unauthenticated "$(node_port 1)"
check_ok "unauthenticated frame dropped (leader)" probe rpc-unauthenticated "$(leader_rpc_port)"
for _ in $(seq 1 50); do grep -q "spectrum 0 LOG:  node 0 serving on" "$dir/server.log" && break; sleep 0.2; done
spectrum_port=$(grep "spectrum 0 LOG:  node 0 serving on" "$dir/server.log" | tail -1 | sed 's/.*://')
check_ok "unauthenticated frame dropped (spectrum)" probe rpc-unauthenticated "$spectrum_port"
check "rows after raw gc" "10|55" "$(count)"
psql_run -qc "vacuum t" > /dev/null 2>&1 || true   # a real gc round still works and keeps the rows
check "rows after vacuum" "10|55" "$(count)"
# The probe's frames are right: with the secret, a PING is answered.
check_ok "authenticated ping (node 0)" probe rpc-ping "$(node_port 0)" "$dir/data/cluster.secret"

# (b) A wrong secret is refused both ways.
check_ok "wrong secret dropped" probe rpc-wrong-secret "$(node_port 0)"
echo "this-is-not-the-secret-of-this-cluster-0123456789" > "$dir/wrong.secret"
chmod 600 "$dir/wrong.secret"
drops() { grep -c "dropped a cluster RPC connection on port $(leader_rpc_port):" "$dir/server.log" || true; }
before=$(drops)
# It sees that the leader proves another secret and stops at once, saying so.
intruder_exit=0
timeout 20 "$strata" compute --join "127.0.0.1:$(leader_rpc_port)" --data "$dir/intruder" \
  --cluster-secret-file "$dir/wrong.secret" --node-id 1 > "$dir/intruder.log" 2>&1 || intruder_exit=$?
check "compute with a wrong secret exits 1" "1" "$intruder_exit"
check "compute with a wrong secret says so" "1" "$(grep -c "does not know the cluster secret" "$dir/intruder.log")"
for _ in $(seq 1 50); do [ "$(drops)" -gt "$before" ] && break; sleep 0.1; done
check "leader drops a compute node with a wrong secret" "yes" "$([ "$(drops)" -gt "$before" ] && echo yes || echo no)"
check "rows after intruder" "10|55" "$(count)"
out=$("$strata" compute --join 127.0.0.1:1 --data "$dir/x" 2>&1; echo "exit $?")
check "compute without secret file" "1" "$(grep -c "cluster-secret-file FILE is required" <<< "$out")"
out=$("$strata" spectrum --join 127.0.0.1:1 --cluster-secret-file "$dir/none" 2>&1; echo "exit $?")
check "spectrum with missing secret file" "exit 1" "$(tail -1 <<< "$out")"
chmod 644 "$dir/wrong.secret"
out=$("$strata" compute --join 127.0.0.1:1 --data "$dir/x" --cluster-secret-file "$dir/wrong.secret" 2>&1 || true)
check "compute with world-readable secret" "1" "$(grep -c "must be mode 0600" <<< "$out")"

# (c) --max-connections 3: the fourth client gets 53300.
check_ok "max_connections" probe pg-limit "$port" 3
# (d) --authentication-timeout 2: a client that sends nothing is closed in time.
check_ok "authentication timeout" probe pg-silent "$port" 1.5 20

# (f) Children hold none of the leader's listening sockets (PG port or cluster RPC port).
for p in "$port" "$(leader_rpc_port)"; do
  holders=$(ss -Hltnp "sport = :$p" | grep -o 'pid=[0-9]*' | sort -u | tr '\n' ' ')
  check "only the leader listens on $p" "pid=$pgid " "$holders"
done

# (e) SIGKILL compute node 0 five times: it comes back each time and queries work.
for round in 1 2 3 4 5; do
  old=$(compute_pid 0)
  kill -KILL "$old"
  back=""
  for _ in $(seq 1 100); do
    new=$(compute_pid 0 || true)
    if [ -n "$new" ] && [ "$new" != "$old" ] && [ "$(count 2>/dev/null)" = "10|55" ]; then back=yes; break; fi
    sleep 0.2
  done
  check "compute node back after kill $round" "yes" "$back"
done
check "restarts logged" "5" "$(grep -c "LOG:  compute restarted as process" "$dir/server.log")"

# Stale temporary files of a crash are swept at the next start; other files stay.
stop
touch "$dir/data/leader/catalog.pb.tmp.999999.0" "$dir/data/compute-0/node_id.tmp.999999.3" \
      "$dir/data/leader/keep.tmp.notapid"
start
check "stale leader temp removed" "no" "$([ -e "$dir/data/leader/catalog.pb.tmp.999999.0" ] && echo yes || echo no)"
for _ in $(seq 1 50); do [ -e "$dir/data/compute-0/node_id.tmp.999999.3" ] || break; sleep 0.1; done
check "stale compute temp removed" "no" "$([ -e "$dir/data/compute-0/node_id.tmp.999999.3" ] && echo yes || echo no)"
check "other file kept" "yes" "$([ -e "$dir/data/leader/keep.tmp.notapid" ] && echo yes || echo no)"
check "rows after restart" "10|55" "$(count)"

echo "cluster_trust: $passed passed, $failed failed"
[ "$failed" = 0 ] || { tail -30 "$dir/server.log"; exit 1; }
