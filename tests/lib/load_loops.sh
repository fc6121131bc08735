# Sourced by the tests that check a cluster under load (tests/server/failover_loop.sh,
# tests/server/resize_test.sh), after strata_cluster.sh (for $port) and ledger.sh. Both loops run
# in the background until DIR/stop exists; each adds its pid to the caller's `loops` array.
#   load_reader DIR QUERY_FILE...  cycles through the TPC-H queries, comparing each answer with
#       DIR/expected.NN (NN from the file name qNN.sql); one line per run in DIR/reads: "ok",
#       "wrong qNN" (the answer kept in DIR/wrong.K) or "error SQLSTATE" (the text in
#       DIR/read_errors).
#   load_writer DIR   commits ledger transactions, 20 per psql run (ledger_chunk); the
#       acknowledged ones go to DIR/acked ("TXN N"), psql's errors to DIR/write_errors.
# Every statement has 120 s (timeout), so a loop never hangs on a cluster that stopped answering.
load_lib=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

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
        code=$(grep -o '^ERROR:  [0-9A-Z]\{5\}' "$dir/got.err" | head -1 | cut -c9-)
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
