#!/usr/bin/env bash
# Client test with the real psql: starts `strata serve` (two compute nodes) on a free loopback
# port, runs the README's first query through psql, checks the printed rows, checks an error's
# SQLSTATE and cursor, then stops the cluster by its process group. Every wait is bounded.
set -euo pipefail
strata=${1:?usage: psql_test.sh path/to/strata}
dir=$(mktemp -d)
pgid=""
cleanup() {
  if [ -n "$pgid" ]; then kill -TERM -- "-$pgid" 2>/dev/null || true; sleep 0.5; kill -KILL -- "-$pgid" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT

port=""
for _ in $(seq 1 50); do
  p=$((20000 + RANDOM % 40000))
  if ! (echo > /dev/tcp/127.0.0.1/$p) 2>/dev/null; then port=$p; break; fi
done
[ -n "$port" ] || { echo "no free port"; exit 1; }

setsid "$strata" serve --data "$dir/data" --port "$port" --compute-nodes 2 > "$dir/server.log" 2>&1 &
pgid=$!
psql_run() { PGCONNECT_TIMEOUT=5 psql -h 127.0.0.1 -p "$port" -U strata -d dev -X "$@"; }
ready=0
for _ in $(seq 1 100); do
  if psql_run -Atc "select 1" > /dev/null 2>&1; then ready=1; break; fi
  sleep 0.2
done
[ "$ready" = 1 ] || { echo "server did not start"; cat "$dir/server.log"; exit 1; }

passed=0
failed=0
check() {  # name, expected, actual
  if [ "$2" == "$3" ]; then
    echo "ok   $1"; passed=$((passed + 1))
  else
    echo "FAIL $1"; echo "  expected: $2"; echo "  actual:   $3"; failed=$((failed + 1))
  fi
}

out=$(psql_run -c "create table t (a int, b varchar(10)) distkey(a) sortkey(a); insert into t values (1,'x'),(2,'y'),(3,'x'); select b, count(*) from t group by b order by b")
check "aligned output has x | 2" "1" "$(grep -c '^ x | *2$' <<< "$out")"
check "aligned output has y | 1" "1" "$(grep -c '^ y | *1$' <<< "$out")"
check "unaligned rows" $'x|2\ny|1' "$(psql_run -Atc "select b, count(*) from t group by b order by b")"

err=$(psql_run -v VERBOSITY=verbose -c "select nosuch from t" 2>&1 || true)
check "unknown column SQLSTATE" "1" "$(grep -c 'ERROR:  42703' <<< "$err")"
check "error cursor" "1" "$(grep -c '^LINE 1: select nosuch from t' <<< "$err")"

check "server_version" "1" "$(psql_run -Atc "show server_version" | grep -c '^15\.')"
check "multi-statement transaction" "5" "$(psql_run -qAtc "begin; insert into t values (4,'z'); insert into t values (5,'z'); commit; select count(*) from t")"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
