#!/usr/bin/env bash
# Benchmarks the IdP simulator, in one run:
#   1. the simulator's request machinery (tools/bench_idp_client.cpp: the Runtime and the libcurl
#      multi handle `simulate` uses) against nginx serving a static JSON file, beside wrk, the load
#      generator of tools/bench.sh, on the same nginx with the same connections, and a bare
#      libcurl loop (the floor of what libcurl costs per request);
#   2. an Entra ID initial cycle of --users users and --groups groups against the embedded
#      reference server (`scimulator simulate --idp entra --generate … --days 0`).
# Prints a Markdown table and writes everything to out/bench-simulate/<time>/.
#
#   tools/bench_simulate.sh [--users 100000] [--groups 1000] [--duration 10] [--connections 16]
#                           [--concurrency 16] [--skip-cycle] [--no-build]
#
# BUILD_DIR overrides the build directory (default build-bench, configured Release).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH_LUA="$ROOT/tools/bench"
users=100000
groups=1000
duration=10
connections=16
concurrency=16
skip_cycle=0
build=1

usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --users) users=$2; shift 2 ;;
    --groups) groups=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --skip-cycle) skip_cycle=1; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) usage 0 ;;
    *) echo "bench_simulate.sh: unknown option $1" >&2; usage ;;
  esac
done
# shellcheck source=tools/bench/common.sh
source "$BENCH_LUA/common.sh"
require_tools bench_simulate.sh wrk curl /usr/sbin/nginx ss awk

BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
if [[ $build == 1 ]]; then
  cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BUILD_DIR" -j2 --target scimulator scimulator_bench_idp_client
fi
SIM_BIN="$BUILD_DIR/tools/scimulator"
CLIENT_BIN="$BUILD_DIR/tools/scimulator_bench_idp_client"

OUT="$ROOT/out/bench-simulate/$(date +%Y%m%d-%H%M%S)"
WORK="$OUT/work"
mkdir -p "$WORK/nginx"
log() { echo "[bench-simulate $(date +%H:%M:%S)] $*" | tee -a "$OUT/bench.log" >&2; }

nginx_pid=""
trap 'stop_pid "$nginx_pid"' EXIT

{
  echo "host: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(uname -r)"
  echo "command: tools/bench_simulate.sh --users $users --groups $groups --duration $duration --connections $connections --concurrency $concurrency"
} > "$OUT/environment.txt"

# --- 1. request machinery vs wrk on nginx-static ------------------------------------------------
# A user document of the usual size, as tools/bench.sh serves it.
cat > "$WORK/nginx/response.json" <<'JSON'
{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],"id":"2819c223-7f76-453a-919d-413861904646","externalId":"u-000001","userName":"ada.lovelace@example.com","name":{"givenName":"Ada","familyName":"Lovelace","formatted":"Ada Lovelace"},"displayName":"Ada Lovelace","emails":[{"value":"ada.lovelace@example.com","type":"work","primary":true}],"title":"Analyst","active":true,"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Research","employeeNumber":"1001"},"groups":[],"meta":{"resourceType":"User","created":"2026-11-23T10:00:00Z","lastModified":"2026-11-23T10:00:00Z","location":"http://127.0.0.1/scim/v2/Users/2819c223-7f76-453a-919d-413861904646","version":"W/\"1\""}}
JSON
port=$(free_port)
sed -e "s|@DIR@|$WORK/nginx|g" -e "s|@PORT@|$port|g" -e "s|@WORKERS@|1|g" "$BENCH_LUA/nginx.conf.in" > "$WORK/nginx/nginx.conf"
/usr/sbin/nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" -g 'daemon off;' 2> "$OUT/nginx.stderr" &
nginx_pid=$!
url="http://127.0.0.1:$port/scim/v2"
for _ in $(seq 1 100); do curl -s -o /dev/null "$url/Users/x" && break; sleep 0.1; done
echo "x" > "$WORK/ids.txt"

log "wrk -c$connections -d${duration}s on nginx-static"
wrk -t1 -c"$connections" -d"${duration}s" --latency -s "$BENCH_LUA/get_by_id.lua" "$url" -- "$WORK/ids.txt" bench > "$OUT/wrk.txt" 2>&1
log "$(grep '^BENCH' "$OUT/wrk.txt")"
log "simulator runtime, $connections flows, ${duration}s on nginx-static"
"$CLIENT_BIN" --url "$url" --path /Users/x --connections "$connections" --duration "$duration" > "$OUT/idp-client.txt" 2>&1
log "$(grep '^BENCH' "$OUT/idp-client.txt")"
# libcurl alone, the same way, so the table separates the simulator's cost from the library's.
log "bare libcurl multi loop, $connections handles, ${duration}s on nginx-static"
"$CLIENT_BIN" --bare-libcurl --url "$url" --path /Users/x --connections "$connections" --duration "$duration" > "$OUT/bare-libcurl.txt" 2>&1
log "$(grep '^BENCH' "$OUT/bare-libcurl.txt")"
stop_pid "$nginx_pid"; nginx_pid=""

wrk_rps=$(field "$OUT/wrk.txt" rps)
client_rps=$(field "$OUT/idp-client.txt" rps)
bare_rps=$(field "$OUT/bare-libcurl.txt" rps)

# --- 2. Entra ID initial cycle against the embedded reference server ---------------------------
cycle_line=""
if [[ $skip_cycle == 0 ]]; then
  log "Entra ID initial cycle: $users users, $groups groups"
  /usr/bin/time -v "$SIM_BIN" simulate --idp entra --generate "users=$users,groups=$groups,seed=1" --days 0 \
    --concurrency "$concurrency" --out "$OUT/entra-initial" > "$OUT/entra-initial.txt" 2> "$OUT/entra-initial.time" || {
      echo "bench_simulate.sh: the initial cycle did not converge:" >&2; tail -20 "$OUT/entra-initial.txt" >&2; exit 1; }
  # The cycle is the provisioning phase; the run adds the convergence read and the comparison.
  read -r wall_ms cycle_ms read_ms compare_ms requests < <(python3 -c "
import json; d = json.load(open('$OUT/entra-initial/drift.json')); p = d['wall_ms_by_phase']
print(d['wall_ms'], p['provisioning'], p['convergence_read'], p['compare'], d['wire']['requests'])")
  peak=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f MiB", $2 / 1024}' "$OUT/entra-initial.time")
  cycle_line=$(awk -v w="$wall_ms" -v c="$cycle_ms" -v rd="$read_ms" -v cm="$compare_ms" -v r="$requests" -v u="$users" \
    -v g="$groups" -v p="$peak" \
    'BEGIN {printf "| Entra ID initial cycle, %d users, %d groups, embedded server | %d requests | %.1f s | %.1f s | %.1f s | %.1f s | %s (simulator and server in one process) |", u, g, r, c / 1000, rd / 1000, cm / 1000, w / 1000, p}')
fi

{
  echo "## scimulator simulate — $(date -I)"
  echo
  cat "$OUT/environment.txt"
  echo
  echo "| load | connections | req/s | ratio to wrk |"
  echo "|---|---:|---:|---:|"
  echo "| wrk on nginx-static | $connections | $wrk_rps | 1.00× |"
  awk -v c="$connections" -v r="$client_rps" -v b="$wrk_rps" 'BEGIN {printf "| simulator runtime on nginx-static | %d | %d | %.2f× |\n", c, r, r / b}'
  awk -v c="$connections" -v r="$bare_rps" -v b="$wrk_rps" 'BEGIN {printf "| bare libcurl multi loop on nginx-static | %d | %d | %.2f× |\n", c, r, r / b}'
  if [[ -n $cycle_line ]]; then
    echo
    echo "| run | requests | cycle | convergence read | compare | whole run | peak RSS |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    echo "$cycle_line"
  fi
} | tee "$OUT/summary.md"
