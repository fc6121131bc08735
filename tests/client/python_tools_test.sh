#!/usr/bin/env bash
# The Python tools PostgreSQL users point at a database (issue 17, item 8), against a real
# cluster: SQLAlchemy 1.4's reflection (inspect(): schemas, tables, views, columns with types,
# nullability and defaults, primary / foreign / unique keys, indexes, comments; Table(...,
# autoload_with=engine)) and pandas 1.5's read_sql_table / read_sql_query / DataFrame.to_sql
# round trips, through psycopg2. The checks are tests/client/python_tools_test.py's. Every wait
# is bounded; Debian's python3 (/usr/bin/python3) is the one with python3-sqlalchemy,
# python3-psycopg2 and python3-pandas (`make deps`).
set -euo pipefail
strata=${1:?usage: python_tools_test.sh path/to/strata}
python=${PYTHON:-/usr/bin/python3}
"$python" -c "import sqlalchemy, psycopg2, pandas" 2> /dev/null ||
  { echo "$python lacks sqlalchemy / psycopg2 / pandas: apt-get install python3-sqlalchemy python3-psycopg2 python3-pandas"; exit 1; }
dir=$(mktemp -d /tmp/strata-pytools-XXXXXX)
source "$(dirname "$0")/../lib/strata_cluster.sh"
cleanup() { cluster_kill; rm -rf "$dir"; }
trap cleanup EXIT
cluster_start "$strata" "$dir/data" || { tail -20 "$dir/data.log" 2>/dev/null; exit 1; }
status=0
timeout -k 5 90 "$python" "$(dirname "$0")/python_tools_test.py" \
  "postgresql+psycopg2://strata@127.0.0.1:$port/dev?sslmode=disable&connect_timeout=5" || status=$?
if [ "$status" != 0 ]; then
  echo "--- server log (last 20 lines)"
  tail -20 "$dir/data.log"
fi
exit "$status"
