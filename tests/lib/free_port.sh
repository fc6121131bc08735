# Sourced by the shell tests: free_port sets $port to a loopback TCP port nobody listens on
# (50 bounded tries), or exits the test. Callers still retry on another port if a server they
# start finds it taken meanwhile.
#
# Ports come from below the kernel's ephemeral range (ip_local_port_range): a port inside it may
# be the local end of some other test's outgoing connection (or its TIME_WAIT), which a connect
# probe cannot see but which makes the server's bind fail with "Address already in use".
free_port() {
  port=""
  local p low=32768
  if [ -r /proc/sys/net/ipv4/ip_local_port_range ]; then
    read -r low _ < /proc/sys/net/ipv4/ip_local_port_range
  fi
  [ "$low" -gt 12000 ] || low=32768
  for _ in $(seq 1 50); do
    p=$((10000 + RANDOM % (low - 10000)))
    if ! (echo > /dev/tcp/127.0.0.1/$p) 2>/dev/null; then port=$p; break; fi
  done
  [ -n "$port" ] || { echo "no free port"; exit 1; }
}
