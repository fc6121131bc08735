#!/usr/bin/env bash
# Client test with the real psql: starts `strata serve` (two compute nodes) on a free loopback
# port with a password (SCRAM-SHA-256) and TLS (a self-signed certificate made here), connects
# with sslmode=require, runs the README's first query through psql, checks the printed rows, an
# error's SQLSTATE and cursor, psql's meta-commands against expected/psql_describe.out, then
# stops the cluster by its process group. Every wait is bounded.
set -euo pipefail
strata=${1:?usage: psql_test.sh path/to/strata}
source "$(dirname "$0")/secure_cluster.sh"   # start_secure_cluster, $dir, $port, $password, $pgid
trust_pgid=""
cleanup() {  # replaces secure_cluster.sh's: also stops the second (trust) cluster
  for g in $pgid $trust_pgid; do
    kill -TERM -- "-$g" 2>/dev/null || true; sleep 0.5; kill -KILL -- "-$g" 2>/dev/null || true
  done
  rm -rf "$dir"
}
STRATA_CLIENT_TLS=1 start_secure_cluster "$strata"
# From here psql takes its password and sslmode from the environment, so that a check can
# override them (a wrong password, a plain connection).
export PGPASSWORD="$password" PGSSLMODE=require
psql_run() { PGCONNECT_TIMEOUT=5 psql -h 127.0.0.1 -p "$port" -U strata -d dev -X "$@"; }

CHECK_VERBOSE=1
source "$(dirname "$0")/../lib/check.sh"

out=$(psql_run -c "create table t (a int, b varchar(10)) distkey(a) sortkey(a); insert into t values (1,'x'),(2,'y'),(3,'x'); select b, count(*) from t group by b order by b")
check "aligned output has x | 2" "1" "$(grep -c '^ x | *2$' <<< "$out")"
check "aligned output has y | 1" "1" "$(grep -c '^ y | *1$' <<< "$out")"
check "unaligned rows" $'x|2\ny|1' "$(psql_run -Atc "select b, count(*) from t group by b order by b")"

err=$(psql_run -v VERBOSITY=verbose -c "select nosuch from t" 2>&1 || true)
check "unknown column SQLSTATE" "1" "$(grep -c 'ERROR:  42703' <<< "$err")"
check "error cursor" "1" "$(grep -c '^LINE 1: select nosuch from t' <<< "$err")"

check "the connection is TLS" "t" "$(psql_run -Atc "select 1" > /dev/null && psql_run -c '\conninfo' | grep -c 'SSL connection' | sed 's/^1$/t/')"
check "a wrong password is refused with 28P01" "1" "$(PGPASSWORD=wrong psql_run -v VERBOSITY=verbose -c 'select 1' 2>&1 | grep -c 'password authentication failed for user "strata"')"
check "a plain connection still works without --require-tls" "1" "$(PGSSLMODE=disable psql_run -Atc 'select 1')"

check "server_version" "1" "$(psql_run -Atc "show server_version" | grep -c '^15\.')"
check "multi-statement transaction" "5" "$(psql_run -qAtc "begin; insert into t values (4,'z'); insert into t values (5,'z'); commit; select count(*) from t")"
# Several statements in one Query are one transaction (PostgreSQL's implicit block): an error
# undoes the statements before it; without one they all commit.
psql_run -qAtc "create table mst (a int); insert into mst values (1); select 1/0" > /dev/null 2>&1 || true
check "a failed multi-statement query keeps nothing it did" "0" "$(psql_run -qAtc "select count(*) from pg_class where relname = 'mst'")"
psql_run -qAtc "create table mst (a int); insert into mst values (1); insert into mst values (2)" > /dev/null
check "a multi-statement query that succeeds commits all" "2" "$(psql_run -qAtc "select count(*) from mst")"
check "VACUUM in a multi-statement query is 25001" "1" "$(psql_run -v VERBOSITY=verbose -qAtc "vacuum mst; select 1" 2>&1 | grep -c 'ERROR:  25001')"
# A procedure that fails still delivers the NOTICEs it raised before the error.
psql_run -qc 'create procedure pn() language plpgsql as $$ begin raise notice $n$step 1$n$; raise notice $n$step 2$n$; perform 1/0; end $$' > /dev/null
check "notices raised before a procedure fails reach the client" "2" "$(psql_run -qc 'call pn()' 2>&1 | grep -c '^NOTICE:  step [12]$')"
psql_run -qc 'drop procedure pn()' > /dev/null

# CancelRequest: psql sends one on SIGINT; a many-to-many join that would run for hours on the compute nodes stops
# with 57014 and the session and server stay usable.
psql_run -qc "create table cx (k int, v int) distkey(v); insert into cx values (0, 1)"
for i in 1 2 4 8 16 32 64 128 256 512 1024 2048 4096 8192 16384 32768; do
  psql_run -qc "insert into cx select (v + $i) % 10, v + $i from cx"
done
check "rows for the cancel test" "65536" "$(psql_run -Atc "select count(*) from cx")"
started=$(date +%s)
cancel_out=$(timeout -s INT -k 20 2 psql -h 127.0.0.1 -p "$port" -U strata -d dev -X -c "select count(*) from cx a join cx b on a.k = b.k join cx c on b.k = c.k" 2>&1 || true)
elapsed=$(( $(date +%s) - started ))
check "cancel reports 57014's message" "1" "$(grep -c 'canceling statement due to user request' <<< "$cancel_out")"
check "cancel returns promptly" "1" "$([ "$elapsed" -le 15 ] && echo 1 || echo 0)"
check "server answers after a cancel" "65536" "$(psql_run -Atc "select count(*) from cx")"

# A compute node killed with SIGKILL is restarted by `strata serve`, re-registers with its node
# id and data folder, and the committed rows are all there again (bounded wait).
node_pid=$(pgrep -f -- "compute --join 127.0.0.1:.* --data $dir/data/compute-1 " | sed -n 1p)
check "found compute node 1" "1" "$([ -n "$node_pid" ] && echo 1 || echo 0)"
[ -n "$node_pid" ] && kill -KILL "$node_pid"
after=""
for _ in $(seq 1 50); do
  after=$(psql_run -Atc "select count(*) from cx" 2>/dev/null || true)
  [ "$after" = "65536" ] && break
  sleep 0.2
done
check "rows after a compute node was killed and restarted" "65536" "$after"

# psql's \copy: from stdin (PostgreSQL's text format: tabs, \N, backslash escapes, the \. end
# line psql passes on), from a client-side CSV file with a header, and out to stdout as CSV.
psql_run -qc "create table cp (a int, b varchar(20), c date)"
out=$(printf '1\tx\t2024-01-02\n2\t\\N\t\\N\n3\ttab\\there\t2024-03-04\n\\.\n' | psql_run -c "\copy cp from stdin")
check "\\copy from stdin reports COPY 3" "COPY 3" "$out"
printf 'a,b,c\n4,"comma, quote ""q""",2024-05-06\n5,,\n' > "$dir/in.csv"
check "\\copy from a CSV file" "COPY 2" "$(psql_run -c "\copy cp from '$dir/in.csv' csv header")"
check "\\copy rows and NULLs" "5|2|3" "$(psql_run -Atc "select count(*), count(*) - count(b), count(c) from cp" | tr -d '\n')"
check "the escaped tab arrived as a tab" "1" "$(psql_run -Atc "select count(*) from cp where b = E'tab\\there'")"
psql_run -c "\copy (select a, b from cp where a >= 4 order by a) to '$dir/out.csv' csv header" > /dev/null
check "\\copy to a CSV file" "a,b|4,\"comma, quote \"\"q\"\"\"|5," "$(tr '\n' '|' < "$dir/out.csv" | sed 's/|$//')"
check "COPY TO STDOUT in text format" "2	\\N	\\N" "$(psql_run -Atc "copy (select a, b, c from cp where a = 2) to stdout")"
# The query of COPY TO / EXPLAIN is bound with the session's values, as a SELECT is.
check "COPY (query) TO STDOUT sees the session's settings" "qg-copy" "$(psql_run -Atc "set query_group to 'qg-copy'; copy (select current_setting('query_group')) to stdout" | tail -1)"
check "a failed \\copy loads nothing" "5" "$(printf '9\tbad\tnot-a-date\n' | psql_run -c "\copy cp from stdin" > /dev/null 2>&1; psql_run -Atc "select count(*) from cp")"

# Serializable isolation: a transaction that read a table, which another session then changed
# and committed, cannot DELETE from it any more (40001); the other session's change stays.
psql_run -qc "create table ser (a int); insert into ser values (1), (2), (3)"
mkfifo "$dir/a.in"
psql_run -qAt -v VERBOSITY=verbose < "$dir/a.in" > "$dir/a.out" 2>&1 &
apid=$!
exec 7> "$dir/a.in"
echo "begin; select count(*) from ser;" >&7
for _ in $(seq 1 50); do grep -q '^3$' "$dir/a.out" 2>/dev/null && break; sleep 0.1; done
psql_run -qc "delete from ser where a = 1"
echo "delete from ser where a = 2;" >&7
echo "rollback;" >&7
exec 7>&-
for _ in $(seq 1 50); do kill -0 "$apid" 2>/dev/null || break; sleep 0.1; done
kill "$apid" 2>/dev/null || true
check "stale snapshot DELETE fails with 40001" "1" "$(grep -c 'ERROR:  40001: Serializable isolation violation' "$dir/a.out")"
check "the committed DELETE stays, the failed one left nothing" "2|2" "$(psql_run -Atc "select count(*) || '|' || min(a) from ser")"

# psql's meta-commands (\dt, \d, \d+, \dv, \dn, \l, \du, \df, \x, \copy, \timing) against the
# expected output; the timing line's number varies and is masked.
here=$(cd "$(dirname "$0")" && pwd)
printf '1,10.00,2024-01-01,first,A\n2,45.50,2024-01-02,,B\n3,50.25,2024-01-03,third,A\n' > "$dir/lineitem_in.csv"
sed "s|DATA_DIR|$dir|g" "$here/psql_describe.sql" > "$dir/describe.sql"
psql_run -f "$dir/describe.sql" 2>&1 | sed -E 's/^Time: [0-9.]+ ms.*/Time: N ms/' > "$dir/describe.out" || true
if diff -u "$here/expected/psql_describe.out" "$dir/describe.out" > "$dir/describe.diff"; then
  check "psql meta-commands print the expected output" "same" "same"
else
  cat "$dir/describe.diff"
  check "psql meta-commands print the expected output" "same" "different (diff above)"
fi
check "\copy out wrote the rows" "1,first|2,|3,third" "$(tr '\n' '|' < "$dir/lineitem_out.csv" | sed 's/|$//')"

# Privileges as a user that logged in with its own password sees them: nothing until granted
# (42501), a column grant reads only its columns, and psql's \dp shows the grants.
analyst_psql() { PGPASSWORD=Secret123 PGCONNECT_TIMEOUT=5 psql -h 127.0.0.1 -p "$port" -U analyst -d dev -X "$@"; }
sqlstate() { sed -n 's/^ERROR:  \([0-9A-Z]\{5\}\):.*/\1/p' | sed -n 1p; }
check "a user reads nothing it was not granted" "42501" "$(analyst_psql -v VERBOSITY=verbose -qAtc 'select count(*) from lineitem_d' 2>&1 | sqlstate)"
psql_run -qc "grant select (l_orderkey, l_quantity) on lineitem_d to analyst" > /dev/null
check "a column grant reads those columns" "3" "$(analyst_psql -qAtc 'select count(l_orderkey) from lineitem_d')"
check "and no other" "42501" "$(analyst_psql -v VERBOSITY=verbose -qAtc 'select l_comment from lineitem_d' 2>&1 | sqlstate)"
check "\dp shows the column grant" "yes" "$(psql_run -c '\dp lineitem_d' | grep -c 'analyst=r/strata' | sed 's/^[1-9][0-9]*$/yes/')"
check "a non-superuser may not switch users" "42501" "$(analyst_psql -v VERBOSITY=verbose -qAtc 'set session authorization strata' 2>&1 | sqlstate)"
check "a non-superuser may not read a server file" "42501" "$(analyst_psql -v VERBOSITY=verbose -qAtc "unload ('select 1') to '$dir/nope_'" 2>&1 | sqlstate)"

# Without --password: the bootstrap superuser keeps trust even once a user has a password (it
# has none to give), while that user must give its own.
port_main=$port
free_port
setsid "$strata" serve --data "$dir/trust-data" --port "$port" --compute-nodes 1 --spectrum-workers 0 \
  > "$dir/trust.log" 2>&1 &
trust_pgid=$!
trust_psql() { PGCONNECT_TIMEOUT=5 PGSSLMODE=disable psql -h 127.0.0.1 -p "$port" -d dev -X "$@"; }
for _ in $(seq 1 100); do
  PGPASSWORD= trust_psql -U strata -Atc "select 1" > /dev/null 2>&1 && break
  sleep 0.2
done
PGPASSWORD= trust_psql -U strata -qc "create user analyst2 password 'Secret123'" > /dev/null 2>&1 || true
check "without --password, strata logs in without one after a user got a password" "1" \
  "$(PGPASSWORD= trust_psql -U strata -Atc 'select 1' 2>&1)"
check "that user must give its password" "1" \
  "$(PGPASSWORD=wrong trust_psql -U analyst2 -Atc 'select 1' 2>&1 | grep -c 'password authentication failed for user "analyst2"')"
check "and logs in with it" "1" "$(PGPASSWORD=Secret123 trust_psql -U analyst2 -Atc 'select 1' 2>&1)"
kill -TERM -- "-$trust_pgid" 2>/dev/null || true
port=$port_main

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
