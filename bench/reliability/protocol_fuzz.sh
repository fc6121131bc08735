#!/usr/bin/env bash
# Protocol fuzz figure: runs the fuzz drivers of tests/fuzz/ (the wire protocol and the SQL front
# end, see tests/fuzz/README.md) for --executions inputs each, spread over --seeds seeds (a fresh
# mutation sequence per seed), bounded by --max-minutes per target. A seed whose run ends in a
# crash, hang or internal error counts as crashed (its input is kept in --crash-dir); there is
# nothing to lose here, so lost is always 0.
#
#   protocol_fuzz.sh [--build build] [--executions 1000000] [--seeds 10] [--max-minutes 20]
#                    [--crash-dir DIR]
# Prints per target, then in all:
#   protocol_fuzz: 20 tried / 20 passed / 0 lost / 0 crashed (2000000 executions)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root="$here/../.."
build="$root/build" executions=1000000 seeds=10 max_minutes=20 crash_dir=$(pwd)
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;; --executions) executions=$2; shift 2 ;; --seeds) seeds=$2; shift 2 ;;
    --max-minutes) max_minutes=$2; shift 2 ;; --crash-dir) crash_dir=$2; shift 2 ;;
    *) echo "unknown option $1"; exit 2 ;;
  esac
done
tried=0 passed=0 crashed=0 total=0
per_seed=$(( (executions + seeds - 1) / seeds ))
seconds_per_seed=$(( max_minutes * 60 / seeds ))
[ "$seconds_per_seed" -gt 0 ] || seconds_per_seed=1
for target in wire sql; do
  bin="$build/fuzz_$target"
  [ -x "$bin" ] || { echo "$bin is missing: build it first (cmake --build build --target fuzz_$target)"; exit 1; }
  runs=0
  for seed in $(seq 1 "$seeds"); do
    tried=$((tried + 1))
    out=$("$bin" --runs "$per_seed" --seed "$((1000 + seed))" --max-seconds "$seconds_per_seed" \
          --dict "$root/tests/fuzz/dict/$target.dict" --crash-dir "$crash_dir" "$root/tests/fuzz/corpus/$target" 2>&1)
    status=$?
    n=$(grep -o "^fuzz_$target: [0-9]* executions" <<< "$out" | awk '{print $2}')
    if [ "$status" = 0 ] && [ -n "$n" ]; then
      passed=$((passed + 1)); runs=$((runs + n))
    else
      crashed=$((crashed + 1)); echo "fuzz_$target seed $((1000 + seed)):"; grep -E "CRASH|HANG|saved|internal|uncaught" <<< "$out" | sed -n 1,5p
    fi
  done
  echo "fuzz_$target: $runs executions over $seeds seeds"
  total=$((total + runs))
done
echo "protocol_fuzz: $tried tried / $passed passed / 0 lost / $crashed crashed ($total executions)"
[ "$passed" = "$tried" ]
