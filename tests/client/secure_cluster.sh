# Sourced by the real-client tests (jdbc_test.sh, libpq_test.sh): start_secure_cluster STRATA
# starts `strata serve` (two compute nodes) on a free loopback port in its own process group,
# with a random password for the bootstrap user and a fresh self-signed TLS certificate, and waits
# (bounded) until psql can log in over TLS. It sets $port, $password (empty when TLS is off), $dir
# and $pgid, and installs an EXIT trap that stops the cluster by its process group. Set
# STRATA_CLIENT_TLS=0 (or use a strata without --password/--tls-cert) to test plain connections.
source "$(dirname "${BASH_SOURCE[0]}")/../lib/free_port.sh"

dir=$(mktemp -d)
pgid=""
password=""
cleanup() {
  if [ -n "$pgid" ]; then kill -TERM -- "-$pgid" 2>/dev/null || true; sleep 0.5; kill -KILL -- "-$pgid" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT

# psql with the same credentials and sslmode the client under test uses.
psql_run() {
  if [ -n "$password" ]; then
    PGPASSWORD="$password" PGSSLMODE=require PGCONNECT_TIMEOUT=5 psql -h 127.0.0.1 -p "$port" -U strata -d dev -X "$@"
  else
    PGSSLMODE=disable PGCONNECT_TIMEOUT=5 psql -h 127.0.0.1 -p "$port" -U strata -d dev -X "$@"
  fi
}

start_secure_cluster() {
  local strata=$1
  local extra=()
  # The usage text says whether this strata has TLS. It is read whole first: `strata` without
  # arguments exits non-zero, which under `set -o pipefail` would fail a pipe into grep.
  local usage
  usage=$("$strata" serve --help 2>&1 || true)
  if [ "${STRATA_CLIENT_TLS:-1}" = 1 ] && grep -q -- '--tls-cert' <<< "$usage"; then
    password="pw-$RANDOM-$RANDOM-$$"
    openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 2 \
      -keyout "$dir/key.pem" -out "$dir/cert.pem" > /dev/null 2>&1
    extra=(--password "$password" --tls-cert "$dir/cert.pem" --tls-key "$dir/key.pem")
  fi
  local ready=0
  for attempt in 1 2 3; do
    free_port
    rm -rf "$dir/data"
    setsid "$strata" serve --data "$dir/data" --port "$port" --compute-nodes 2 "${extra[@]}" > "$dir/server.log" 2>&1 &
    pgid=$!
    for _ in $(seq 1 100); do
      if psql_run -Atc "select 1" > /dev/null 2>&1; then ready=1; break; fi
      kill -0 "$pgid" 2>/dev/null || break   # the server exited (e.g. the port was taken)
      sleep 0.2
    done
    [ "$ready" = 1 ] && break
    kill -KILL -- "-$pgid" 2>/dev/null || true
    pgid=""
  done
  [ "$ready" = 1 ] || { echo "server did not start"; cat "$dir/server.log"; exit 1; }
  echo "cluster on port $port ($([ -n "$password" ] && echo "password + TLS" || echo "no password, no TLS"))"
}
