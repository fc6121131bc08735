#!/usr/bin/env bash
# Prints how long each ctest entry of the last run took (from BUILD/Testing/Temporary/LastTest.log),
# slowest first, after the total. `make test` calls it at the end.
#   tests/lib/ctest_times.sh [BUILD_DIR]
log=${1:-build}/Testing/Temporary/LastTest.log
[ -f "$log" ] || exit 0
awk '/^[0-9]+\/[0-9]+ Test: /{name=$3} /^Test time =/{printf "%8.1f s  %s\n", $4, name}' "$log" |
  sort -rn | awk '{total += $1; lines[NR] = $0} END {printf "%8.1f s  all %d entries\n", total, NR; for (i = 1; i <= NR; ++i) print lines[i]}'
