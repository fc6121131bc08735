#!/usr/bin/env bash
# Client test with the real pgjdbc driver: starts a cluster (password + TLS when strata supports
# them, see secure_cluster.sh), compiles tests/client/JdbcClientTest.java against the Debian
# pgjdbc jar into a temporary folder, runs it (bounded in time) and stops the cluster.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/secure_cluster.sh"
strata=${1:?usage: jdbc_test.sh path/to/strata}
jar=${PGJDBC_JAR:-/usr/share/java/postgresql.jar}
[ -f "$jar" ] || { echo "pgjdbc not installed ($jar): apt-get install libpostgresql-jdbc-java"; exit 1; }

mkdir -p "$dir/classes"
javac -cp "$jar" -d "$dir/classes" "$here/JdbcClientTest.java"
start_secure_cluster "$strata"
status=0
timeout -k 10 240 java -cp "$jar:$dir/classes" JdbcClientTest "$port" "$password" || status=$?
if [ "$status" != 0 ]; then
  echo "--- server log (last 20 lines)"
  tail -20 "$dir/server.log"
fi
exit "$status"
