#!/usr/bin/env bash
# Running Strata and seeing what it does (issue 23's items 1-5), over a real cluster:
#   * CLI manners: `strata --help`, `strata COMMAND --help` (exit 0, every option with its
#     default), `strata --version`, an unknown option or command (exit 2, saying which);
#   * a configuration file (--config, PostgreSQL's `name = value`), the command line overriding
#     it; SHOW and pg_settings say where each value came from (source, sourcefile, sourceline);
#     SET of a server option is 55P02; a bad line stops the start with FILE:LINE;
#   * logs as JSON lines into a rotated file: connection, login, an error with its SQLSTATE, a
#     statement past log_min_duration_statement with its query id, the compute nodes' lines for
#     that same query id, the disconnection;
#   * /metrics on the HTTP port (HTTPS: the cluster has --tls-cert/--tls-key): 401 without a
#     login, Prometheus text with one, counters that move; plain HTTP is not answered;
#   * progress: a COPY long enough to be watched shows in stv_load_state and stv_progress with
#     bytes done of the file's size while it runs.
# Every wait is bounded; the cluster is stopped by its process group.
set -euo pipefail
strata=${1:?usage: operations_test.sh path/to/strata}
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

# --- 1. CLI manners -------------------------------------------------------------------------
rc=0; "$strata" --help > "$work/help.out" 2>&1 || rc=$?
check "strata --help exits 0" "0" "$rc"
check "and lists the commands" "1" "$(grep -c '^  serve ' "$work/help.out")"
for cmd in serve leader compute spectrum; do
  rc=0; "$strata" "$cmd" --help > "$work/$cmd.help" 2>&1 || rc=$?
  check "strata $cmd --help exits 0" "0" "$rc"
  check "strata $cmd --help shows --config and --log-format with its default" "2" \
    "$(grep -cE '^  --config FILE|^  --log-format text\|json .*\(default: text\)' "$work/$cmd.help")"
done
check "serve's help gives the port's default" "1" "$(grep -cE '^  --port PORT .*\(default: 5439\)' "$work/serve.help")"
check "compute's help has no --port" "0" "$(grep -c '^  --port ' "$work/compute.help" || true)"
for cmd in objects crawl resize snapshot; do
  rc=0; "$strata" "$cmd" --help > "$work/$cmd.help" 2>&1 || rc=$?
  check "strata $cmd --help exits 0" "0" "$rc"
done
rc=0; version=$("$strata" --version) || rc=$?
check "strata --version exits 0" "0" "$rc"
check "and says version, commit and build type" "1" \
  "$(echo "$version" | grep -cE '^strata [0-9]+\.[0-9]+\.[0-9]+ \(commit ([0-9a-f]{7,}|unknown), [A-Za-z]+ build\)$')"
rc=0; "$strata" serve --data "$work/x" --bogus 1 > "$work/bad.out" 2>&1 || rc=$?
check "an unknown option exits 2" "2" "$rc"
check "naming it" "1" "$(grep -c 'unknown option --bogus' "$work/bad.out")"
rc=0; "$strata" frobnicate > /dev/null 2>&1 || rc=$?
check "an unknown command exits 2" "2" "$rc"

# --- 2. A configuration file ----------------------------------------------------------------
mkdir -p "$work/c" "$work/logs"
printf 'max_connections = 77\n' > "$work/bad.conf"
printf 'no_such_option = 1\n' >> "$work/bad.conf"
rc=0; "$strata" serve --data "$work/y" --config "$work/bad.conf" > "$work/badconf.out" 2>&1 || rc=$?
check "a bad configuration line stops the start (exit 2)" "2" "$rc"
check "saying FILE:LINE and why" "1" "$(grep -c "bad.conf:2: unknown option \"no_such_option\"" "$work/badconf.out")"

free_port
http_port=$port
cat > "$work/strata.conf" <<CONF
# Strata's configuration (PostgreSQL's form)
max_connections = 42
history-retention-days = 3   # days
log_format = 'json'
log_file = '$work/logs/strata.log'
log_min_duration_statement = 0
http_port = $http_port
CONF
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 2 \
  -keyout "$work/key.pem" -out "$work/cert.pem" > /dev/null 2>&1
cluster_start "$strata" "$work/c/data" --spectrum-workers 0 --config "$work/strata.conf" --max-connections 43 \
  --allow-path "$work" --tls-cert "$work/cert.pem" --tls-key "$work/key.pem" || { echo "no cluster"; cat "$work/c/data.log" || true; exit 1; }
sql() { cluster_psql -At -v ON_ERROR_STOP=1 "$@"; }
check "the command line overrides the file" "43" "$(sql -c 'show max_connections')"
check "a value from the file" "3" "$(sql -c 'show history_retention_days')"
check "pg_settings: the sources" "history_retention_days|3|configuration file|$work/strata.conf|3 max_connections|43|command line|| port|$port|command line||" \
  "$(sql -c "select name, setting, source, coalesce(sourcefile, ''), coalesce(sourceline::text, '') from pg_settings
             where name in ('max_connections', 'history_retention_days', 'port') order by name" | tr '\n' ' ' | sed 's/ $//')"
check "a default's source" "default" "$(sql -c "select source from pg_settings where name = 'wlm_config'")"
check "SHOW ALL lists the server options" "1" "$(sql -c 'show all' | grep -c '^log_format|json|')"
check "SET of a server option is 55P02" "1" \
  "$(cluster_psql -At -c '\set VERBOSITY verbose' -c 'set port = 1' 2>&1 | grep -c '55P02.*parameter "port" cannot be changed without restarting the server')"

# --- 3. Logs --------------------------------------------------------------------------------
sql -c "create table t (a int, b varchar(20)) distkey(a)" -c "insert into t values (1, 'row 1'), (2, 'row 2')" > /dev/null
cluster_psql -At -c "select count(*) from t /* logged */" > /dev/null
qid=$(sql -c "select query from stl_query where querytxt like '%/* logged */%' order by query desc limit 1")
cluster_psql -At -c "select * from no_such_table" > /dev/null 2>&1 || true
log="$work/logs/strata.log"
for _ in $(seq 1 50); do grep -q '"disconnection' "$log" 2>/dev/null && break; sleep 0.1; done
check "the log is JSON lines" "0" "$(grep -vc '^{.*}$' "$log" || true)"
check "a connection line" "1" "$(grep -m1 -c '"message":"connection received: host=127.0.0.1 port=' "$log")"
check "a login line with user and database" "1" "$(grep -m1 -c '"message":"connection authorized: user=strata database=dev' "$log")"
check "an error line with its SQLSTATE" "1" \
  "$(grep '"error_severity":"ERROR"' "$log" | grep '"state_code":"42P01"' | grep -m1 -c 'relation \\"no_such_table\\" does not exist')"
check "the statement's duration line carries its query id" "1" \
  "$(grep '"message":"duration: ' "$log" | grep -m1 -c "\"query_id\":$qid,")"
check "compute nodes log the same query's steps" "1" \
  "$(grep '"backend_type":"compute"' "$log" | grep -m1 -c "\"query_id\":$qid,")"
check "a disconnection line with the session's time" "1" "$(grep -m1 -c '"message":"disconnection: session time: [0-9]*:[0-9][0-9]:[0-9][0-9]' "$log")"

# --- 4. Metrics -----------------------------------------------------------------------------
url="https://127.0.0.1:$http_port/metrics"
curl() { command curl --cacert "$work/cert.pem" --resolve "localhost:$http_port:127.0.0.1" "${@/127.0.0.1/localhost}"; }
check "/metrics without a login: 401" "401" "$(curl -s -o /dev/null -w '%{http_code}' "$url")"
check "/metrics with a wrong user: 401" "401" "$(curl -s -o /dev/null -w '%{http_code}' -u nobody:x "$url")"
check "no answer over plain HTTP" "000" "$(command curl -s -m 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http_port/metrics" || true)"
curl -sf -u strata: "$url" > "$work/m1.txt"
check "Prometheus text: a latency histogram" "1" \
  "$(grep -c '^strata_statement_duration_seconds_bucket{status="success",le="+Inf"} [1-9]' "$work/m1.txt")"
check "the compute nodes are up" "2" "$(grep -c '^strata_node_up{role="compute",node="[01]",state="up"} 1$' "$work/m1.txt")"
check "per-node memory and disk" "2" "$(grep -c '^strata_node_disk_capacity_bytes{role="compute",node="[01]"} [1-9]' "$work/m1.txt")"
check "queues by state" "1" "$(grep -c '^strata_wlm_queries{service_class="14",queue="short query queue",state="running"} ' "$work/m1.txt")"
check "every sample line parses (name{labels} value)" "0" \
  "$(grep -v '^#' "$work/m1.txt" | grep -vcE '^[a-z_]+(\{[^}]*\})? -?[0-9.e+]+$' || true)"
commits1=$(grep '^strata_commits_total ' "$work/m1.txt" | cut -d' ' -f2)

# Hostile input on the HTTP port: every answer is a 4xx, and the server stays up.
base="https://127.0.0.1:$http_port"
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
check "a console login of an unknown user: 401" "401" "$(code -X POST -d '{"user":"nobody","password":"x"}' "$base/api/login")"
curl -s -c "$work/jar" -X POST -d '{"user":"strata","password":""}' "$base/api/login" > /dev/null
check "a login's cookie opens the API" "200" "$(code -b "$work/jar" "$base/api/me")"
check "a forged cookie does not" "401" "$(code -b 'strata_session=0123abcd' "$base/api/me")"
check "Basic credentials that are not base64" "401" "$(code -H 'Authorization: Basic %%%' "$base/api/me")"
check "a body that is not JSON: 400" "400" "$(code -b "$work/jar" -X POST -d 'select 1' "$base/api/query")"
check "sql that is not a string: 400" "400" "$(code -b "$work/jar" -X POST -d '{"sql": 5}' "$base/api/query")"
check "a negative max_rows is clamped" "200" "$(code -b "$work/jar" -X POST -d '{"sql": "select 1", "max_rows": -5}' "$base/api/query")"
check "bad SQL: 400 with its SQLSTATE" "42601" \
  "$(curl -s -b "$work/jar" -X POST -d '{"sql": "selec 1"}' "$base/api/query" | grep -o '"sqlstate":"[0-9A-Z]*"' | cut -d'"' -f4)"
head -c 17000000 /dev/zero | tr '\0' 'x' > "$work/huge.body"
check "a 17 MB body: 413" "413" "$(code -b "$work/jar" -X POST --data-binary "@$work/huge.body" "$base/api/query")"
check "a path out of the console: 404" "404" "$(code --path-as-is "$base/../../etc/passwd")"
check "an unknown API: 404" "404" "$(code -b "$work/jar" "$base/api/nothing")"
check "dashboards that are not an object: 400" "400" "$(code -b "$work/jar" -X PUT -d '[1,2]' "$base/api/dashboards")"
check "the server is still up" "1" "$(sql -c 'select 1')"

# --- 5. Progress (and COPY rows in the metrics) ---------------------------------------------
# Files big enough that their COPY runs for a while: 3 x 110 MB of CSV (a COPY reads ~250 MB/s
# here). A sampler in one session reads stv_load_state and stv_progress back to back meanwhile.
mkdir -p "$work/load"
awk 'BEGIN { for (i = 0; i < 1800000; i++) printf "%d,some text of row %d with padding padding padding\n", i, i }' > "$work/load/part1.csv"
cp "$work/load/part1.csv" "$work/load/part2.csv"
cp "$work/load/part1.csv" "$work/load/part3.csv"
size=$(( $(stat -c %s "$work/load/part1.csv") * 3 ))
sql -c "create table big (a int, b varchar(80)) distkey(a)"
for _ in $(seq 1 1500); do
  echo "select 'load', bytes_to_load, case when bytes_loaded > 0 then 'moving' else 'started' end from stv_load_state;"
  echo "select 'progress', kind, unit, relation from stv_progress where kind = 'COPY' and done > 0;"
done > "$work/sampler.sql"
( cluster_psql -At -f "$work/sampler.sql" > "$work/samples.out" 2>&1 || true ) &
sampler=$!
bg+=($sampler)
sleep 0.2
rc=0; cluster_psql -At -c "copy big from '$work/load/' csv" > "$work/copy.out" 2>&1 || rc=$?
check "the COPY succeeded" "0" "$rc"
check "and loaded every row" "5400000" "$(sql -c 'select count(*) from big')"
for _ in $(seq 1 300); do kill -0 "$sampler" 2>/dev/null || break; sleep 0.1; done
kill "$sampler" 2>/dev/null || true
check "stv_load_state showed the load moving, of the files' size" "load|$size|moving" \
  "$(grep -m1 "^load|$size|moving" "$work/samples.out" || tail -3 "$work/samples.out")"
check "stv_progress showed it too, in bytes" "progress|COPY|bytes|big" "$(grep -m1 '^progress|' "$work/samples.out" || true)"
check "nothing left in stv_progress after it" "0" "$(sql -c "select count(*) from stv_progress where kind = 'COPY'")"
curl -sf -u strata: "$url" > "$work/m2.txt"
check "COPY rows counted" "1" "$(grep -c '^strata_copy_rows_total 54[0-9]\{5\}$' "$work/m2.txt")"
commits2=$(grep '^strata_commits_total ' "$work/m2.txt" | cut -d' ' -f2)
check "commits counted" "yes" "$([ "$commits2" -gt "$commits1" ] && echo yes || echo "no ($commits1 -> $commits2)")"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
