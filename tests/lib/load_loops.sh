# Sourced by the tests that check a cluster under load (tests/server/failover_loop.sh,
# tests/server/resize_test.sh), after strata_cluster.sh (for $port) and ledger.sh.
#   load_data DIR       creates TPC-H (tests/tpch/schema_strata.sql) from the dbgen files in
#       DIR/tbl, and the ledger's tables; says what failed and returns 1 on a failure.
#   load_expected DIR QUERIES_DIR   runs TPC-H Q1, Q3, Q5, Q6, Q10, Q12, Q14 and Q19 once, keeping
#       each answer in DIR/expected.NN, and sets `qs` to their files; returns 1 on a failure.
# The two loops run in the background until DIR/stop exists; each adds its pid to `loops`.
#   load_reader DIR QUERY_FILE...  cycles through the TPC-H queries, comparing each answer with
#       DIR/expected.NN (NN from the file name qNN.sql); one line per run in DIR/reads: "ok",
#       "wrong qNN" (the answer kept in DIR/wrong.K) or "error SQLSTATE" (the text in
#       DIR/read_errors).
#   load_writer DIR   commits ledger transactions, 20 per psql run (ledger_chunk); the
#       acknowledged ones go to DIR/acked ("TXN N"), psql's errors to DIR/write_errors.
# Every statement has 120 s (timeout), so a loop never hangs on a cluster that stopped answering.
load_lib=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

load_data() {
  local dir=$1 t
  cluster_psql -v ON_ERROR_STOP=1 -f "$load_lib/../tpch/schema_strata.sql" > /dev/null || { echo "schema failed"; return 1; }
  for t in region nation part supplier partsupp customer orders lineitem; do
    cluster_psql -v ON_ERROR_STOP=1 -c "copy $t from '$dir/tbl/$t.tbl' delimiter '|'" > /dev/null || { echo "copy $t failed"; return 1; }
  done
  cluster_psql -v ON_ERROR_STOP=1 -c "$ledger_tables_sql" > /dev/null || { echo "ledger failed"; return 1; }
}

load_expected() {
  local dir=$1 queries=$2 q f
  qs=()
  for q in 01 03 05 06 10 12 14 19; do
    f=$(ls "$queries" | grep -i "^q$q.sql$" | sed -n 1p)
    [ -n "$f" ] || continue
    qs+=("$queries/$f")
    cluster_psql -At -f "$queries/$f" > "$dir/expected.$q" 2> "$dir/expected.$q.err" ||
      { echo "q$q failed"; cat "$dir/expected.$q.err"; return 1; }
  done
  [ "${#qs[@]}" -gt 0 ] || { echo "no TPC-H queries in $queries"; return 1; }
}

load_reader() {
  local dir=$1
  shift
  local qs=("$@")
  : > "$dir/reads"
  (
    k=0
    while [ ! -e "$dir/stop" ]; do
      f=${qs[$((k % ${#qs[@]}))]}; k=$((k + 1))
      q=$(basename "$f" .sql); q=${q#[qQ]}
      if timeout 120 bash -c "source '$load_lib/strata_cluster.sh'; port=$port; cluster_psql -v VERBOSITY=verbose -At -f '$f'" > "$dir/got" 2> "$dir/got.err"; then
        if cmp -s "$dir/got" "$dir/expected.$q"; then echo ok; else echo "wrong q$q"; cp "$dir/got" "$dir/wrong.$k"; fi
      else
        code=$(grep -o '^ERROR:  [0-9A-Z]\{5\}' "$dir/got.err" | sed -n 1p | cut -c9-)
        echo "error ${code:-none}"; cat "$dir/got.err" >> "$dir/read_errors"
      fi
    done >> "$dir/reads"
  ) &
  loops+=($!)
}

load_writer() {
  local dir=$1
  : > "$dir/acked"
  (
    t=1
    while [ ! -e "$dir/stop" ]; do
      ledger_chunk "$t" > "$dir/chunk.sql"
      timeout 120 bash -c "source '$load_lib/strata_cluster.sh'; port=$port; cluster_psql -v VERBOSITY=verbose -v ON_ERROR_STOP=1 -f '$dir/chunk.sql'" 2>> "$dir/write_errors" \
        | awk '/^ack / { print $2, $3; fflush() }' >> "$dir/acked"
      t=$((t + 20))
    done
  ) &
  loops+=($!)
}
