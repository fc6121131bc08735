#!/usr/bin/env bash
# Client tests with libpq: starts a cluster (password + TLS when strata supports them, see
# secure_cluster.sh), runs libpq_binary_test (binary formats) and libpq_session_test (what a
# session keeps between extended-protocol statements) against it, each bounded in time, and
# stops it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/secure_cluster.sh"
strata=${1:?usage: libpq_test.sh path/to/strata path/to/libpq_binary_test}
binary_test=${2:?usage: libpq_test.sh path/to/strata path/to/libpq_binary_test path/to/libpq_session_test}
session_test=${3:?usage: libpq_test.sh path/to/strata path/to/libpq_binary_test path/to/libpq_session_test}
start_secure_cluster "$strata"
status=0
timeout -k 10 120 "$binary_test" "$port" "$password" || status=$?
timeout -k 10 120 "$session_test" "$port" "$password" || status=$?
if [ "$status" != 0 ]; then
  echo "--- server log (last 20 lines)"
  tail -20 "$dir/server.log"
fi
exit "$status"
