#!/usr/bin/env bash
# The web console in a headless browser (console_test.js): starts a cluster with its HTTP port
# and a password, fills console_t (id 1..4096, grp = id % 5, label 'row') and runs the browser
# test against it with the system Chromium (puppeteer-core from tests/tools: `make tools`;
# Chromium from Debian: `apt-get install chromium`). Screenshots, one PNG per page, go to
# $CONSOLE_SCREENS (default: ./console_screens, i.e. build/console_screens under ctest). The
# browser test's checks are counted with this script's; every wait is bounded and the cluster is
# stopped by its process group.
#
#   tests/console/console_test.sh build/strata        (CHROMIUM=/path overrides /usr/bin/chromium)
set -euo pipefail
strata=${1:?usage: console_test.sh path/to/strata}
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/strata_cluster.sh"
source "$here/../lib/check.sh"
CHECK_VERBOSE=1
tools=$here/../tools
chromium=${CHROMIUM:-/usr/bin/chromium}
screens=${CONSOLE_SCREENS:-$PWD/console_screens}
[ -d "$tools/node_modules/puppeteer-core" ] || { echo "FAIL puppeteer-core is not installed: run 'make tools'"; echo "0 passed, 1 failed"; exit 1; }
[ -x "$chromium" ] || { echo "FAIL no Chromium at $chromium: apt-get install chromium"; echo "0 passed, 1 failed"; exit 1; }
work=$(mktemp -d)
cleanup() {
  cluster_kill
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/c" "$screens"

free_port
http_port=$port   # cluster_start draws the PostgreSQL port itself (and retries on another one)
export PGPASSWORD=secret1
if ! cluster_start "$strata" "$work/c/data" --spectrum-workers 0 --http-port "$http_port" --password secret1; then
  echo "FAIL no cluster"
  tail -20 "$work/c/data.log" || true
  echo "0 passed, 1 failed"
  exit 1
fi
sql() { cluster_psql -At -v ON_ERROR_STOP=1 "$@"; }
sql -c "create table console_t (id int, grp int, label varchar(10))" -c "insert into console_t values (1, 1, 'row')"
for i in 1 2 4 8 16 32 64 128 256 512 1024 2048; do
  sql -c "insert into console_t select id + $i, (id + $i) % 5, label from console_t"
done
check "console_t has its rows" "4096|819" "$(sql -c "select count(*), count(case when grp = 0 then 1 end) from console_t")"

rc=0
timeout 110 node "$here/console_test.js" --url "http://127.0.0.1:$http_port" --user strata --password secret1 \
  --screens "$screens" --chromium "$chromium" | tee "$work/browser.out" || rc=$?
counts=$(sed -nE 's/^browser: ([0-9]+) passed, ([0-9]+) failed$/\1 \2/p' "$work/browser.out" | tail -1)
if [ -n "$counts" ]; then
  passed=$((passed + ${counts% *}))
  failed=$((failed + ${counts#* }))
fi
check "the browser test ran to its end" "yes" "$([ -n "$counts" ] && echo yes || echo "no (exit $rc)")"
check "the cluster is still up" "1" "$(sql -c "select 1" 2>&1)"
echo "screenshots: $screens"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
