# Shell helpers shared by tools/bench.sh and tools/bench_simulate.sh (sourced, not run).

# SIGTERM one process we started, by pid, and wait for it (SIGKILL after 30 s).
stop_pid() {
  local pid=$1
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  wait "$pid" 2>/dev/null || true
}

# A TCP port nothing listens on.
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    ss -Htln "sport = :$port" | grep -q . || { echo "$port"; return; }
  done
}

# key=value from the last BENCH line of a file: field FILE KEY
field() { sed -n "s/.*\\b$2=\\([^ ]*\\).*/\\1/p" "$1" | tail -1; }

# Exits 2 naming the package when a tool is missing: require_tools SCRIPT TOOL...
require_tools() {
  local script=$1 tool
  shift
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$script: $tool is required (apt-get install wrk nginx-light curl)" >&2; exit 2; }
  done
}
