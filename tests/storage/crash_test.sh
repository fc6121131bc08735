#!/usr/bin/env bash
# Crash safety: for each fault injection point (storage/fault_point.h) and each writing
# statement (INSERT, COPY, DELETE, UPDATE, VACUUM), start a cluster, commit some rows, arm the
# point, run the statement (a process is SIGKILLed in the middle of it), then kill -9 the whole
# cluster and start it again on the same data. Checks: every committed row is there, the
# statement is either wholly visible (it crashed after its commit point, or the leader ran it
# again after a compute node died) or not at all, and
# after a VACUUM no orphan block is left on disk. Every wait is bounded; servers are stopped
# by process group.
set -euo pipefail
source "$(dirname "$0")/../lib/free_port.sh"
strata=${1:?usage: crash_test.sh path/to/strata}
dir=$(mktemp -d)
pgid=""
stop() {
  if [ -n "$pgid" ]; then kill -KILL -- "-$pgid" 2>/dev/null || true; fi
  for _ in $(seq 1 50); do kill -0 "$pgid" 2>/dev/null || break; sleep 0.1; done
  pgid=""
}
cleanup() { stop; [ -n "${KEEP_WORK:-}" ] && echo "kept $dir" || rm -rf "$dir"; }
trap cleanup EXIT

psql_run() { PGCONNECT_TIMEOUT=5 psql -h 127.0.0.1 -p "$port" -U strata -d dev -X -v ON_ERROR_STOP=1 "$@"; }

start() {  # starts the cluster on $dir/data with the fault variables of the environment
  local ready=0
  for attempt in 1 2 3; do
    free_port
    setsid "$strata" serve --data "$dir/data" --port "$port" --compute-nodes 2 --spectrum-workers 0 --allow-path "$dir" >> "$dir/server.log" 2>&1 &
    pgid=$!
    disown "$pgid"   # no job notices when it is killed
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

source "$(dirname "$0")/../lib/check.sh"

seq 1001 1500 | awk '{print $1 "|row" $1}' > "$dir/more.txt"

# statement name -> SQL; committed state before it: ids 1..1000, 'row<id>'.
declare -A sql=(
  [insert]="insert into c select id + 2000, v from c where id <= 300"
  [copy]="copy c from '$dir/more.txt'"
  [delete]="delete from c where id % 3 = 0"
  [update]="update c set v = 'upd' where id <= 100"
  [vacuum]="vacuum c"
)
# What count(*), count(v = 'upd') show when the statement committed / did not.
declare -A after=([insert]="1300|0" [copy]="1500|0" [delete]="667|0" [update]="1000|100" [vacuum]="667|0")
points="block_written manifest_written before_commit after_commit"

for point in $points; do
  for stmt in insert copy delete update vacuum; do
    stop
    rm -rf "$dir/data"
    export STRATA_FAULT_CRASH=$point STRATA_FAULT_ARM="$dir/arm"
    rm -f "$dir/arm"
    start
    psql_run -qc "create table c (id int, v varchar(12)) distkey(id) sortkey(id)"
    psql_run -qc "create table digits (x int); insert into digits values (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)"
    psql_run -qc "insert into c select a.x * 100 + b.x * 10 + d.x + 1, 'row' || (a.x * 100 + b.x * 10 + d.x + 1) from digits a, digits b, digits d"
    before="1000|0"
    if [ "$stmt" = vacuum ]; then
      psql_run -qc "delete from c where id % 3 = 0"   # something for VACUUM to reclaim
      before="667|0"
    fi
    touch "$dir/arm"
    psql_run -qc "${sql[$stmt]}" > /dev/null 2>&1 || true
    armed_left=$([ -e "$dir/arm" ] && echo yes || echo no)
    stop
    start
    got=$(psql_run -Atc "select count(*) || '|' || sum(case when v = 'upd' then 1 else 0 end) from c")
    if [ "$armed_left" = yes ]; then
      # The point was never reached (e.g. no manifest written before the crash): the statement ran.
      check "$point/$stmt (not reached) committed" "${after[$stmt]}" "$got"
    elif [ "$point" = after_commit ]; then
      check "$point/$stmt committed before the crash" "${after[$stmt]}" "$got"
    elif [ "$point" = block_written ] || [ "$point" = manifest_written ]; then
      # A compute node died mid-statement: the leader runs the statement again on the node's
      # mirror (server/failover.h), or it failed; either way wholly or not at all.
      check "$point/$stmt wholly committed by its retry or rolled back" "1" \
        "$([ "$got" = "$before" ] || [ "$got" = "${after[$stmt]}" ] && echo 1 || echo "$got")"
    else
      check "$point/$stmt rolled back by the crash" "$before" "$got"
    fi
    # The committed ids are all there, each once.
    check "$point/$stmt ids distinct" "$(psql_run -Atc "select count(*) from c")" "$(psql_run -Atc "select count(distinct id) from c")"
    sleep 1.2   # older than VACUUM's in-flight margin
    psql_run -qc "vacuum c"
    files=$(for d in "$dir"/data/compute-*; do "$strata" objects store "$d"; done | grep -c '^block ' || true)
    check "$point/$stmt no orphan blocks after VACUUM" "$(psql_run -Atc "select count(*) from stv_blocklist")" "$files"
  done
done
unset STRATA_FAULT_CRASH STRATA_FAULT_ARM

# A block whose bytes no longer match its checksum is reported with XX001 naming the table,
# the column and the block, and never read as data.
stop
rm -rf "$dir/data"
start
psql_run -qc "create table k (id int, v varchar(12)) diststyle all; insert into k values (1, 'one'), (2, 'two')"
# (A block file, or the block's record in the node's object log: byte 40 of its bytes.)
read -r _ _ _ block at <<< "$("$strata" objects store "$dir/data/compute-0" | grep '^block ' | sed -n 1p)"
printf '\xff' | dd of="$block" bs=1 seek=$((at + 40)) conv=notrunc status=none
err=$(psql_run -v VERBOSITY=verbose -Atc "select id, v from k" 2>&1 || true)
check "corrupt block: XX001" "1" "$(grep -c 'ERROR:  XX001: block [0-9a-f]\{32\} of column "\(id\|v\)" of table "k"' <<< "$err")"
check "corrupt block: no rows returned" "0" "$(grep -c '^1|one$' <<< "$err")"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
