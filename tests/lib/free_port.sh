# Sourced by the shell tests: free_port sets $port to a loopback TCP port nobody listens on
# (50 bounded tries), or exits the test. Callers still retry on another port if a server they
# start finds it taken meanwhile.
free_port() {
  port=""
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 40000))
    if ! (echo > /dev/tcp/127.0.0.1/$p) 2>/dev/null; then port=$p; break; fi
  done
  [ -n "$port" ] || { echo "no free port"; exit 1; }
}
