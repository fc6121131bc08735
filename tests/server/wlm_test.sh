#!/usr/bin/env bash
# Workload management over real sessions (server/wlm.h): a cluster started with a WLM file —
# a one-slot queue for query_group 'etl' with a query monitoring rule that aborts a query past
# 4 s, a short query queue, a default queue. Checks: the queues in stv_wlm_service_class_config;
# a second 'etl' query waits (QueuedWaiting in stv_wlm_query_state) while the first runs; the rule
# aborts the first (57014, stl_wlm_rule_action) and the waiting one then runs; stl_wlm_query
# records queue time; a short query is not held behind long ones in the default queue (it goes
# to the short query queue); a bad configuration stops the start with its reason. Memory shares:
# each queue's slot memory in stv_wlm_service_class_config is the query's budget on the nodes,
# so the same aggregation spills in a 1% queue and not in the default one; wlm_query_slot_count
# takes several slots (and more than the queue has is 22023). Hop: a rule moves a running query
# to the next queue of its group, freeing its first queue's slot. Every wait is bounded; the
# cluster is stopped by its process group.
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
  {"name": "tiny", "query_group": ["tiny"], "query_concurrency": 1, "memory_percent_to_use": 1},
  {"name": "first", "query_group": ["hop"], "query_concurrency": 1,
   "rules": [{"rule_name": "move_on", "predicate": [{"metric_name": "query_execution_time", "operator": ">", "value": 1}],
              "action": "hop"}]},
  {"name": "second", "query_group": ["hop"], "query_concurrency": 1},
  {"short_query_queue": true, "query_concurrency": 2},
  {"name": "default", "query_concurrency": 2}
]
JSON
echo '[{"query_concurrency": 0}]' > "$work/bad.json"
check "a bad WLM file stops the start with its reason" "1" \
  "$(timeout 20 "$strata" serve --data "$work/bad" --port 1 --wlm-config "$work/bad.json" 2>&1 | grep -c 'query_concurrency must be 1 to 50')"

mkdir -p "$work/c"
cluster_start "$strata" "$work/c/data" --spectrum-workers 0 --memory-limit 200MB --wlm-config "$work/wlm.json" || { echo "no cluster"; exit 1; }
sql() { cluster_psql -At -v ON_ERROR_STOP=1 "$@"; }
check "the queues" "5|superuser queue|1 6|etl|1 7|tiny|1 8|first|1 9|second|1 10|default|2 14|short query queue|2" \
  "$(sql -c "select service_class, trim(name), num_query_tasks from stv_wlm_service_class_config order by (service_class = 14), service_class" | tr '\n' ' ' | sed 's/ $//')"
# 200 MB nodes: etl 30% of one slot = 60 MB, tiny 1% = 2 MB, the other three share 69%: 46 MB a
# queue, 23 MB a slot of the default's two (the short query queue's slots too).
check "the memory per slot (MB)" "6|60 7|2 8|46 10|23 14|23" \
  "$(sql -c "select service_class, query_working_mem from stv_wlm_service_class_config where service_class in (6, 7, 8, 10, 14) order by 1" | tr '\n' ' ' | sed 's/ $//')"

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

# Memory shares are the queries' budgets: one aggregation spills in the 1% queue, not in the default.
agg="select count(*) from (select v, count(*) from big group by v) g"
spilled() {
  cluster_psql -At -v ON_ERROR_STOP=1 -c "set enable_result_cache_for_session to off" -c "set query_group to '$1'" \
    -c "$agg" -c "select case when sum(spilled_bytes) > 0 then 'spilled' else 'in memory' end from svl_query_summary where query = pg_last_query_id()" | tail -1
}
check "the aggregation spills in the 2 MB slot" "spilled" "$(spilled tiny)"
check "and not in a default slot" "in memory" "$(spilled default)"

# wlm_query_slot_count: two slots of the default queue; more than a queue has is refused.
sql -c "set wlm_query_slot_count to 2" -c "set enable_result_cache_for_session to off" -c "select count(*) /* two slots */ from big" >/dev/null
check "a statement took two slots" "1" "$(sql -c "select count(*) from stl_wlm_query where slot_count = 2")"
check "more slots than the queue has: 22023" "22023" \
  "$(cluster_psql -At -c "\\set VERBOSITY sqlstate" -c "set query_group to 'etl'" -c "set wlm_query_slot_count to 2" -c "select count(*) from big" 2>&1 | grep -o 22023 | sed -n 1p)"

# Hop: a long query in 'first' moves to 'second' after 1 s, and 'first' is free for the next one.
( cluster_psql -At -c "set query_group to 'hop'" -c "set enable_result_cache_for_session to off" -c "set statement_timeout to 12000" \
    -c "$long /* hopping */" > "$work/hop.out" 2>&1 || true ) &
hopper=$!
bg+=($hopper)
where=""
for _ in $(seq 1 80); do
  where=$(sql -c "select service_class from stv_wlm_query_state where trim(state) = 'Running' and service_class in (8, 9)")
  [ "$where" = "9" ] && break
  sleep 0.1
done
check "the hop rule moved the running query to the second queue" "9" "$where"
check "stl_wlm_rule_action has the hop" "move_on|hop(reassign)" \
  "$(sql -c "select trim(rule), trim(action) from stl_wlm_rule_action where rule = 'move_on'")"
check "the first queue takes the next query at once" "65536" \
  "$(cluster_psql -At -c "set query_group to 'hop'" -c "set statement_timeout to 5000" -c "set enable_result_cache_for_session to off" -c "select count(*) /* after hop */ from big")"
for _ in $(seq 1 200); do kill -0 "$hopper" 2>/dev/null || break; sleep 0.1; done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
