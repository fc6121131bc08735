# Sourced by the shell tests that need an S3-compatible server: s3rver_start WORKDIR TOOLS BUCKET
# starts npm's `s3rver` (installed in tests/tools by `make tools`) on a free loopback port with
# BUCKET, exports the AWS_* settings that point Strata at it, and waits (bounded) until
# `strata objects ls` answers; another port if one is taken under us. Sets $s3pid; s3rver_stop
# kills it by PID. Needs $strata (the binary) set.
source "$(dirname "${BASH_SOURCE[0]}")/free_port.sh"

s3pid=""

s3rver_stop() {
  if [ -n "$s3pid" ]; then kill "$s3pid" 2>/dev/null || true; wait "$s3pid" 2>/dev/null || true; fi
  s3pid=""
}

s3rver_start() {
  local work=$1 tools=$2 bucket=$3 ready=0
  [ -x "$tools/node_modules/.bin/s3rver" ] || { echo "FAIL: s3rver is not installed: run 'make tools'"; return 1; }
  mkdir -p "$work/s3"
  for _attempt in 1 2 3; do
    free_port
    node --openssl-legacy-provider "$tools/node_modules/.bin/s3rver" -d "$work/s3" -a 127.0.0.1 -p "$port" \
      --configure-bucket "$bucket" --silent > "$work/s3rver.log" 2>&1 &
    s3pid=$!
    export AWS_ENDPOINT_URL_S3=http://127.0.0.1:$port AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_REGION=us-east-1
    for _ in $(seq 1 100); do
      if "$strata" objects ls "s3://$bucket/" > /dev/null 2>&1; then ready=1; break; fi
      kill -0 "$s3pid" 2>/dev/null || break
      sleep 0.1
    done
    [ "$ready" = 1 ] && return 0
    s3rver_stop
  done
  echo "s3rver did not start"; cat "$work/s3rver.log"
  return 1
}
