#!/usr/bin/env bash
# Workload management over real sessions (server/wlm.h): a cluster started with a WLM file —
# a one-slot queue for query_group 'etl' with a query monitoring rule that aborts a query past
# 4 s, a short query queue, a default queue. Checks: the queues in stv_wlm_service_class_config;
# a second 'etl' query waits (QueuedWaiting in stv_wlm_query_state) while the first runs; the rule
# aborts the first (57014, stl_wlm_rule_action) and the waiting one then runs; stl_wlm_query
# records queue time; a short query is not held behind long ones in the default queue (it goes
# to the short query queue); a bad configuration stops the start with its reason. Every wait is
# bounded; the cluster is stopped by its process group.
set -euo pipefail
strata=${1:?usage: wlm_test.sh path/to/strata}
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/strata_cluster.sh"
source "$here/../lib/check.sh"
CHECK_VERBOSE=1
work=$(mktemp -d)
bg=()
cleanup() {
  for p in "${bg[@]}"; do kill "$p" 2>/dev/null || true; done
  cluster_kill
  rm -rf "$work"
}
trap cleanup EXIT

cat > "$work/wlm.json" <<'JSON'
[
  {"name": "etl", "query_group": ["etl"], "query_concurrency": 1, "memory_percent_to_use": 30,
   "rules": [{"rule_name": "too_long", "predicate": [{"metric_name": "query_execution_time", "operator": ">", "value": 4}],
              "action": "abort"}]},
  {"short_query_queue": true, "query_concurrency": 2},
  {"name": "default", "query_concurrency": 2}
]
JSON
echo '[{"query_concurrency": 0}]' > "$work/bad.json"
check "a bad WLM file stops the start with its reason" "1" \
  "$(timeout 20 "$strata" serve --data "$work/bad" --port 1 --wlm-config "$work/bad.json" 2>&1 | grep -c 'query_concurrency must be 1 to 50')"

mkdir -p "$work/c"
cluster_start "$strata" "$work/c/data" --spectrum-workers 0 --wlm-config "$work/wlm.json" || { echo "no cluster"; exit 1; }
sql() { cluster_psql -At -v ON_ERROR_STOP=1 "$@"; }
check "the queues" "5|superuser queue|1 6|etl|1 7|default|2 14|short query queue|2" \
  "$(sql -c "select service_class, trim(name), num_query_tasks from stv_wlm_service_class_config order by (service_class = 14), service_class" | tr '\n' ' ' | sed 's/ $//')"

# A table whose self-join runs for minutes: 65,536 rows in 10 keys.
sql -c "create table big (k int, v int) distkey(v)" -c "insert into big values (0, 1)"
for i in 1 2 4 8 16 32 64 128 256 512 1024 2048 4096 8192 16384 32768; do
  sql -c "insert into big select (v + $i) % 10, v + $i from big"
done
long="select count(*) from big a join big b on a.k = b.k join big c on b.k = c.k"

# Two long 'etl' queries: the first runs, the second waits for the queue's one slot.
( cluster_psql -At -c "set query_group to 'etl'" -c "set enable_result_cache_for_session to off" -c "$long /* first */" \
    > "$work/first.out" 2>&1 || true ) &
bg+=($!)
sleep 1
( cluster_psql -At -c "set query_group to 'etl'" -c "set enable_result_cache_for_session to off" -c "select count(*) /* second */ from big" \
    > "$work/second.out" 2>&1 || true ) &
bg+=($!)
queued=""
for _ in $(seq 1 40); do
  queued=$(sql -c "select count(*) from stv_wlm_query_state where service_class = 6 and trim(state) = 'QueuedWaiting'")
  [ "$queued" = "1" ] && break
  sleep 0.1
done
check "the second etl query waits for the slot" "1" "$queued"
check "while the first runs" "1" "$(sql -c "select count(*) from stv_wlm_query_state where service_class = 6 and trim(state) = 'Running'")"

# A short query in the default group meanwhile is not held up (short query queue).
start=$(date +%s%N)
check "a short query answers while the queue is full" "65536" "$(sql -c "select count(*) from big")"
short_ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "short query under load: ${short_ms} ms"

# The rule aborts the first after 4 s (checked every half second); the second then runs.
for p in "${bg[@]}"; do
  for _ in $(seq 1 300); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
done
check "the rule aborted the long query (57014)" "1" "$(grep -c 'canceling statement' "$work/first.out")"
check "the waiting query then ran" "65536" "$(cat "$work/second.out")"
check "stl_wlm_rule_action has the abort" "too_long|abort" "$(sql -c "select trim(rule), trim(action) from stl_wlm_rule_action")"
check "stl_wlm_query: the second waited in the queue" "1" \
  "$(sql -c "select count(*) from stl_wlm_query where service_class = 6 and total_queue_time > 500000")"
check "the first is recorded as evicted by the rule" "1" \
  "$(sql -c "select count(*) from stl_wlm_query where service_class = 6 and trim(final_state) = 'Evicted'")"
check "the short query ran in the short query queue" "yes" \
  "$(sql -c "select case when count(*) > 0 then 'yes' else 'no' end from stl_wlm_query where service_class = 14")"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
