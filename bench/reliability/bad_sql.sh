#!/usr/bin/env bash
# Bad-SQL corpus against a running cluster: every statement of bad_sql.txt (hostile literals,
# overflows, huge parameter numbers and outputs, server paths) plus the generated ones its `@gen`
# lines ask for (100,000-term expressions, 1,000-deep nesting, 5,000 chained CTEs, ...), each
# sent by psql as a simple query from a file (argv could not hold the long ones). After each
# statement the server must still answer `select 1`:
#   passed   answered (rows or an error) within --timeout seconds and `select 1` works
#   lost     no answer within the timeout (a hang), server still up
#   crashed  the leader process died or stopped answering; the cluster is restarted to go on
#
#   bad_sql.sh [--strata build/strata] [--file bench/reliability/bad_sql.txt] [--timeout 60]
# Prints a line per statement that did not pass, then
#   bad_sql: 102 tried / 102 passed / 0 lost / 0 crashed (26 answered with rows, 76 with an error)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../../tests/lib/strata_cluster.sh"
strata="$here/../../build/strata" file="$here/bad_sql.txt" timeout_s=60
while [ $# -gt 0 ]; do
  case "$1" in
    --strata) strata=$2; shift 2 ;; --file) file=$2; shift 2 ;; --timeout) timeout_s=$2; shift 2 ;;
    *) echo "unknown option $1"; exit 2 ;;
  esac
done
dir=$(mktemp -d)
trap 'cluster_kill; rm -rf "$dir"' EXIT
cp "$strata" "$dir/strata" && strata="$dir/strata"
mkdir -p "$dir/unload"

start() {
  cluster_start "$strata" "$dir/data" --compute-nodes 2 --spectrum-workers 0 || { echo "cluster did not start"; tail -20 "$dir/data.log"; exit 1; }
  cluster_psql -c "create table if not exists bad_t (a int, b varchar(10))" > /dev/null 2>&1
}

# Writes the statement for `@gen KIND N` to stdout.
generate() {
  local kind=$1 n=$2
  awk -v kind="$kind" -v n="$n" 'BEGIN {
    if (kind == "plus")    { printf "select 1"; for (i = 1; i < n; ++i) printf "+1" }
    if (kind == "or")      { printf "select 1 where 1 = 0"; for (i = 1; i < n; ++i) printf " or %d = 0", i }
    if (kind == "and")     { printf "select 1 where 1 = 1"; for (i = 1; i < n; ++i) printf " and %d = %d", i, i }
    if (kind == "concat")  { printf "select %s", "'"'"'a'"'"'"; for (i = 1; i < n; ++i) printf "||%s", "'"'"'a'"'"'" }
    if (kind == "nest")    { printf "select "; for (i = 0; i < n; ++i) printf "("; printf "1"; for (i = 0; i < n; ++i) printf ")" }
    if (kind == "cte")     { printf "with c1 as (select 1 as x)"; for (i = 2; i <= n; ++i) printf ", c%d as (select x from c%d)", i, i - 1; printf " select x from c%d", n }
    if (kind == "inlist")  { printf "select 1 where 1 in (0"; for (i = 1; i < n; ++i) printf ",%d", i; printf ")" }
    if (kind == "case")    { printf "select case"; for (i = 1; i <= n; ++i) printf " when 1 = %d then %d", i, i; printf " end" }
    if (kind == "union")   { printf "select 1"; for (i = 1; i < n; ++i) printf " union all select %d", i }
    if (kind == "columns") { printf "select 1 as c0"; for (i = 1; i < n; ++i) printf ", %d as c%d", i, i }
    printf "\n"
  }'
}

start
tried=0 passed=0 lost=0 crashed=0 rows=0 errors=0
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in ''|'#'*) continue ;; esac
  if [[ "$line" == @gen* ]]; then
    read -r _ kind n <<< "$line"
    generate "$kind" "$n" > "$dir/stmt.sql"
    label="@gen $kind $n"
  else
    printf '%s\n' "${line//@DIR@/$dir}" > "$dir/stmt.sql"
    label="$line"
  fi
  tried=$((tried + 1))
  timeout -k 5 "$timeout_s" bash -c "source '$here/../../tests/lib/strata_cluster.sh'; port=$port; cluster_psql -At -f '$dir/stmt.sql'" > "$dir/out" 2>&1
  status=$?
  if cluster_alive && cluster_psql -Atc "select 1" 2> /dev/null | grep -qx 1; then
    if [ "$status" = 124 ] || [ "$status" = 137 ]; then
      lost=$((lost + 1)); echo "HANG    ${label:0:100}"
    else
      passed=$((passed + 1))
      if grep -q "ERROR" "$dir/out"; then errors=$((errors + 1)); else rows=$((rows + 1)); fi
    fi
  else
    crashed=$((crashed + 1)); echo "CRASHED ${label:0:100}: $(head -c 200 "$dir/out" | tr '\n' ' ')"
    cluster_kill
    start
  fi
done < "$file"
cluster_kill
echo "bad_sql: $tried tried / $passed passed / $lost lost / $crashed crashed ($rows answered with rows, $errors with an error)"
[ "$passed" = "$tried" ]
