# Sourced by scripts that drive a whole `strata serve` cluster from the shell (the reliability
# figures in bench/reliability/; the same start / stop-by-process-group steps as
# tests/storage/crash_test.sh). Functions:
#   cluster_start STRATA DATA_DIR [serve args...]  starts `strata serve` on a free loopback port
#       in its own process group (setsid), keeping DATA_DIR, and waits (bounded, 20 s) until
#       `select 1` answers; retries on another port up to 3 times. Sets $port and $pgid; returns
#       1 when the cluster did not come up (its log: DATA_DIR.log). It checks that the process
#       listening on $port is its own: two scripts that drew the same free port at once must
#       not end up talking to each other's cluster.
#   cluster_kill      kill -9 of the whole process group, then waits (bounded) until it is gone.
#   cluster_alive     true while the serve process lives.
#   cluster_psql ...  psql as the bootstrap user against the cluster (5 s connect timeout).
source "$(dirname "${BASH_SOURCE[0]}")/free_port.sh"

port=""
pgid=""

cluster_psql() { PGCONNECT_TIMEOUT=5 PGSSLMODE=disable psql -h 127.0.0.1 -p "$port" -U strata -d dev -X -q "$@"; }

cluster_alive() { [ -n "$pgid" ] && kill -0 "$pgid" 2>/dev/null; }

# True when the listener on $port belongs to our process group (needs ss from iproute2; without
# it, that our serve process is still alive a moment after answering).
cluster_owns_port() {
  if command -v ss > /dev/null; then
    local pid
    for pid in $(ss -Hltnp "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2); do
      [ "$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ')" = "$pgid" ] && return 0
    done
    return 1
  fi
  sleep 0.5
  cluster_alive
}

cluster_kill() {
  if [ -n "$pgid" ]; then
    kill -KILL -- "-$pgid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 -- "-$pgid" 2>/dev/null || break; sleep 0.1; done
  fi
  pgid=""
}

cluster_start() {
  local strata=$1 data=$2
  shift 2
  for _attempt in 1 2 3; do
    free_port
    setsid "$strata" serve --data "$data" --port "$port" "$@" >> "$data.log" 2>&1 &
    pgid=$!
    disown "$pgid" 2>/dev/null || true   # no job notices when it is killed
    for _ in $(seq 1 100); do
      if cluster_psql -Atc "select 1" > /dev/null 2>&1; then
        cluster_owns_port && return 0
        break   # someone else's server answered on this port: ours could not bind it
      fi
      cluster_alive || break   # it exited (e.g. the port was taken meanwhile)
      sleep 0.2
    done
    cluster_kill
  done
  return 1
}
