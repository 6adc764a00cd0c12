#!/usr/bin/env bash
# Benchmarks the reference SCIM server (`scimulator serve`) against nginx serving a static JSON
# file of the same size as a GET /Users/{id} answer, with the same load generator (wrk) and the
# same settings, in one run. Prints a Markdown table and writes everything to out/bench/<time>/.
#
#   tools/bench.sh [--users 100000|1000000] [--duration 10] [--threads T] [--connections C]
#                  [--post-connections 16] [--server-threads 2] [--groups 1000] [--warmup 2]
#                  [--perf] [--reseed] [--keep] [--no-build]
#
# BUILD_DIR overrides the build directory (default build-bench, configured Release).
# Seeded data files are cached by size under out/bench/seed-u<N>-g<G>/ and copied for each run,
# since the POST and PATCH scenarios change the data.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH_LUA="$ROOT/tools/bench"

users=100000
groups=1000
duration=10
wrk_threads=1
connections=16
post_connections=16
server_threads=2
warmup=2
perf=0
reseed=0
keep=0
build=1
token="bench-token"

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --users) users=$2; shift 2 ;;
    --groups) groups=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --threads) wrk_threads=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --post-connections) post_connections=$2; shift 2 ;;
    --server-threads) server_threads=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --perf) perf=1; shift ;;
    --reseed) reseed=1; shift ;;
    --keep) keep=1; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) usage 0 ;;
    *) echo "bench.sh: unknown option $1" >&2; usage ;;
  esac
done

# shellcheck source=tools/bench/common.sh
source "$BENCH_LUA/common.sh"
require_tools bench.sh wrk curl /usr/sbin/nginx ss awk

BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
if [[ $build == 1 ]]; then
  cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BUILD_DIR" -j2 --target scimulator scimulator_bench_seed
fi
SERVER_BIN="$BUILD_DIR/tools/scimulator"
SEED_BIN="$BUILD_DIR/tools/scimulator_bench_seed"

stamp=$(date +%Y%m%d-%H%M%S)
OUT="$ROOT/out/bench/$stamp"
mkdir -p "$OUT"
WORK="$OUT/work"
mkdir -p "$WORK"
log() { echo "[bench $(date +%H:%M:%S)] $*" | tee -a "$OUT/bench.log" >&2; }

server_pid=""
nginx_pid=""
perf_pid=""
cleanup() {
  stop_pid "$perf_pid"
  stop_pid "$server_pid"
  stop_pid "$nginx_pid"
  if [[ $keep == 0 ]]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
hwm_kib() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }
mib() { awk -v k="$1" 'BEGIN {printf "%.0f MiB", k / 1024}'; }
# CPU time (user + system, in clock ticks) of a process and its children still running: what a
# scenario cost the server, whatever else the machine was doing meanwhile.
cpu_ticks() {
  local total=0 pid
  for pid in "$1" $(pgrep -P "$1" 2>/dev/null || true); do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
ticks_per_second=$(getconf CLK_TCK)

# --- environment -----------------------------------------------------------------------------
{
  echo "date: $(date -Is)"
  echo "host: $(uname -srm), $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM"
  echo "cpu: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "git: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo none) (working tree may be dirty)"
  echo "wrk: $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2); nginx: $(/usr/sbin/nginx -v 2>&1 | cut -d' ' -f3)"
  echo "command: tools/bench.sh --users $users --groups $groups --duration $duration --threads $wrk_threads" \
       "--connections $connections --post-connections $post_connections --server-threads $server_threads --warmup $warmup"
} > "$OUT/environment.txt"
cat "$OUT/environment.txt" >&2

# --- seed (cached by size) -------------------------------------------------------------------
# v2: seeded through the clickhouse profile (serve's default) by several posting threads.
SEED_DIR="$ROOT/out/bench/seed-v2-u$users-g$groups"
if [[ $reseed == 1 ]]; then rm -rf "$SEED_DIR"; fi
if [[ ! -f $SEED_DIR/done ]]; then
  rm -rf "$SEED_DIR.partial"
  mkdir -p "$SEED_DIR.partial"
  log "seeding $users users and $groups groups (cached afterwards in $SEED_DIR)"
  /usr/bin/time -v "$SEED_BIN" --data "$SEED_DIR.partial/data.db" --users "$users" --groups "$groups" \
    --user-ids "$SEED_DIR.partial/user_ids.txt" --group-ids "$SEED_DIR.partial/group_ids.txt" \
    > "$SEED_DIR.partial/seed.log" 2> "$SEED_DIR.partial/seed.time" || {
      cat "$SEED_DIR.partial/seed.log" "$SEED_DIR.partial/seed.time" >&2; echo "bench.sh: seeding failed" >&2; exit 1; }
  touch "$SEED_DIR.partial/done"
  rm -rf "$SEED_DIR"
  mv "$SEED_DIR.partial" "$SEED_DIR"
fi
cp "$SEED_DIR/seed.log" "$OUT/seed.log"
cp "$SEED_DIR/seed.time" "$OUT/seed.time" 2>/dev/null || true
grep -E '^(users|groups|total):' "$OUT/seed.log" >&2 || true
width=$(field "$OUT/seed.log" width)
seed_rate=$(field "$OUT/seed.log" rate)
seed_peak=$(field "$OUT/seed.log" peak_rss_kib)
seed_seconds=$(field "$OUT/seed.log" seconds)
USER_IDS="$SEED_DIR/user_ids.txt"
GROUP_IDS="$SEED_DIR/group_ids.txt"
db_size=$(du -k "$SEED_DIR/data.db" | cut -f1)

log "copying the seeded data file ($(mib "$db_size")) for this run"
for f in "$SEED_DIR"/data.db*; do cp --reflink=auto "$f" "$WORK/"; done

# --- server ----------------------------------------------------------------------------------
server_url=""
start_server() {  # sets server_pid, server_url, load_seconds
  local log_name=$1 t0 t1
  t0=$(date +%s.%N)
  "$SERVER_BIN" serve --port 0 --data "$WORK/data.db" --token "$token" --quiet --threads "$server_threads" \
    > "$OUT/$log_name.stdout" 2> "$OUT/$log_name.stderr" &
  server_pid=$!
  for _ in $(seq 1 12000); do  # loading 1M users may take minutes
    if grep -q "listening on" "$OUT/$log_name.stdout" 2>/dev/null; then break; fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
      cat "$OUT/$log_name.stderr" >&2; echo "bench.sh: the server exited during startup" >&2; exit 1
    fi
    sleep 0.05
  done
  t1=$(date +%s.%N)
  server_url=$(sed -n 's/^scimulator serve: listening on \(http[^ ]*\).*/\1/p' "$OUT/$log_name.stdout" | head -1)
  [[ -n $server_url ]] || { echo "bench.sh: the server did not print its URL" >&2; exit 1; }
  load_seconds=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}')
}

total_users() {  # totalResults of GET /Users?count=0[&filter=$1]
  local query="count=0"
  [[ -n ${1:-} ]] && query="$query&filter=$1"
  curl -sS --max-time 300 -H "Authorization: Bearer $token" "$server_url/Users?$query" |
    sed -n 's/.*"totalResults" *: *\([0-9]*\).*/\1/p'
}
# The users this run's POST scenario created: post_users.lua names them bench-<stamp>-t<n>-<i>.
posted_filter="userName%20sw%20%22bench-$stamp-%22"

log "starting the server on $WORK/data.db"
start_server server
rss_loaded=$(rss_kib "$server_pid")
first_load_seconds=$load_seconds
log "server at $server_url, loaded in ${load_seconds}s, VmRSS $(mib "$rss_loaded")"

first_id=$(head -1 "$USER_IDS")
curl -sS -o "$OUT/response.json" -D "$OUT/response.headers" -H "Authorization: Bearer $token" \
  "$server_url/Users/$first_id"
status=$(head -1 "$OUT/response.headers" | cut -d' ' -f2)
[[ $status == 200 ]] || { echo "bench.sh: GET /Users/$first_id answered $status:" >&2; cat "$OUT/response.json" >&2; exit 1; }
response_bytes=$(stat -c %s "$OUT/response.json")

# --- nginx -----------------------------------------------------------------------------------
NGINX_DIR="$WORK/nginx"
mkdir -p "$NGINX_DIR"
cp "$OUT/response.json" "$NGINX_DIR/response.json"
nginx_port=$(free_port)
sed -e "s|@DIR@|$NGINX_DIR|g" -e "s|@PORT@|$nginx_port|g" -e "s|@WORKERS@|$server_threads|g" \
  "$BENCH_LUA/nginx.conf.in" > "$NGINX_DIR/nginx.conf"
cp "$NGINX_DIR/nginx.conf" "$OUT/nginx.conf"
/usr/sbin/nginx -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf" -e "$NGINX_DIR/error.log" -g 'daemon off;' \
  2> "$OUT/nginx.stderr" &
nginx_pid=$!
nginx_url="http://127.0.0.1:$nginx_port/scim/v2"
for _ in $(seq 1 100); do
  curl -s -o /dev/null "$nginx_url/Users/x" && break
  kill -0 "$nginx_pid" 2>/dev/null || { cat "$OUT/nginx.stderr" "$NGINX_DIR/error.log" >&2; exit 1; }
  sleep 0.1
done
nginx_bytes=$(curl -sS "$nginx_url/Users/$first_id" | wc -c)
log "nginx (pid $nginx_pid, $server_threads workers) at $nginx_url serving $nginx_bytes bytes (server: $response_bytes)"

# --- scenarios -------------------------------------------------------------------------------
declare -a rows=()
run_wrk() {  # name connections warmup_seconds url script args...
  local name=$1 conns=$2 warm=$3 url=$4 script=$5; shift 5
  if [[ $warm != 0 ]]; then
    wrk -t"$wrk_threads" -c"$conns" -d"${warm}s" -s "$BENCH_LUA/$script" "$url" -- "$@" > "$OUT/wrk-$name.warmup.txt" 2>&1
  fi
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" > "$OUT/wrk-$name.txt"
  if [[ $perf == 1 && $url == "$server_url" ]]; then
    perf record -F 499 -g -p "$server_pid" -o "$OUT/perf-$name.data" -- sleep "$duration" \
      > "$OUT/perf-$name.log" 2>&1 &
    perf_pid=$!
  fi
  local target_pid=$server_pid cpu_before
  [[ $url == "$server_url" ]] || target_pid=$nginx_pid
  cpu_before=$(cpu_ticks "$target_pid")
  log "wrk $name: -t$wrk_threads -c$conns -d${duration}s -s $script"
  wrk -t"$wrk_threads" -c"$conns" -d"${duration}s" --latency -s "$BENCH_LUA/$script" "$url" -- "$@" \
    >> "$OUT/wrk-$name.txt" 2>&1
  echo "CPU ticks=$(($(cpu_ticks "$target_pid") - cpu_before)) per_second=$ticks_per_second" >> "$OUT/wrk-$name.txt"
  if [[ -n $perf_pid ]]; then wait "$perf_pid" 2>/dev/null || true; perf_pid=""; fi
  grep -q '^BENCH ' "$OUT/wrk-$name.txt" || { cat "$OUT/wrk-$name.txt" >&2; echo "bench.sh: wrk $name failed" >&2; exit 1; }
  grep -E '^(BENCH|first unexpected)' "$OUT/wrk-$name.txt" >&2
}

run_wrk nginx-static "$connections" "$warmup" "$nginx_url" get_by_id.lua "$USER_IDS" "$token"
stop_pid "$nginx_pid"; nginx_pid=""
run_wrk get-by-id "$connections" "$warmup" "$server_url" get_by_id.lua "$USER_IDS" "$token"
run_wrk filter-eq "$connections" "$warmup" "$server_url" filter_eq.lua "$users" "$width" "$token"

before=$(total_users)
run_wrk post-users "$post_connections" 0 "$server_url" post_users.lua "$stamp" "$token"
sleep 1  # requests still in flight when wrk stopped complete on the server, unseen by wrk
after=$(total_users)
posted=$(total_users "$posted_filter")
created=$(field "$OUT/wrk-post-users.txt" created_201)
built=$(field "$OUT/wrk-post-users.txt" built)

run_wrk patch-group "$connections" 0 "$server_url" patch_groups.lua "$USER_IDS" "$GROUP_IDS" "$token"
members_total=0
while read -r gid; do
  n=$(curl -sS -H "Authorization: Bearer $token" "$server_url/Groups/$gid?attributes=members" | grep -o '"value"' | wc -l)
  members_total=$((members_total + n))
done < <(head -20 "$GROUP_IDS")

rss_after=$(rss_kib "$server_pid")
hwm_after=$(hwm_kib "$server_pid")
log "server VmRSS after the run $(mib "$rss_after"), peak (VmHWM) $(mib "$hwm_after")"

# Durability across a restart: SIGTERM, start again on the same file, count again.
stop_pid "$server_pid"; server_pid=""
start_server server-restart
after_restart=$(total_users)
posted_restart=$(total_users "$posted_filter")
rss_reloaded=$(rss_kib "$server_pid")
log "restarted in ${load_seconds}s: $after_restart users, VmRSS $(mib "$rss_reloaded")"
stop_pid "$server_pid"; server_pid=""

# --- report ----------------------------------------------------------------------------------
nginx_rps=$(field "$OUT/wrk-nginx-static.txt" rps)
ms() { awk -v u="$1" 'BEGIN {printf "%.2f ms", u / 1000}'; }
{
  echo "## scimulator serve vs nginx static — $users users, $(date -I)"
  echo
  echo "\`$(sed -n 's/^command: //p' "$OUT/environment.txt")\`"
  echo
  echo "$(sed -n 's/^host: //p' "$OUT/environment.txt"); wrk -t$wrk_threads, server --threads $server_threads," \
       "nginx $server_threads workers; ${duration}s per scenario; response $response_bytes bytes."
  echo
  echo "| scenario | connections | requests | req/s | p50 | p99 | ratio to nginx-static | server CPU per request | non-2xx |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  for name in nginx-static get-by-id filter-eq post-users patch-group; do
    f="$OUT/wrk-$name.txt"
    c=$connections; [[ $name == post-users ]] && c=$post_connections
    awk -v n="$name" -v c="$c" -v base="$nginx_rps" \
      -v req="$(field "$f" requests)" -v rps="$(field "$f" rps)" -v p50="$(field "$f" p50_us)" \
      -v p99="$(field "$f" p99_us)" -v bad="$(field "$f" non2xx)" -v sock="$(field "$f" socket_errors)" \
      -v ticks="$(field "$f" ticks)" -v hz="$ticks_per_second" \
      'BEGIN {printf "| %s | %d | %d | %.0f | %.2f ms | %.2f ms | %.2f× | %.0f µs | %d%s |\n",
              n, c, req, rps, p50 / 1000, p99 / 1000, rps / base, (req > 0 ? ticks / hz * 1e6 / req : 0), bad,
              (sock > 0 ? " (+" sock " socket errors)" : "")}'
  done
  echo
  echo "- seeding: $users users at $seed_rate/s through ScimService::handle() (${seed_seconds}s), peak RSS $(mib "$seed_peak");" \
       "data file $(mib "$db_size")"
  echo "- server VmRSS: $(mib "$rss_loaded") after loading (${first_load_seconds}s from start to listening; ${load_seconds}s on restart)," \
       "$(mib "$rss_after") after the run (peak $(mib "$hwm_after")), $(mib "$rss_reloaded") after a restart"
  # Every 201 wrk saw must be stored; at most the requests wrk built (a few were still in flight
  # when it stopped: the server stored them, wrk never read the answer) may be; and the same
  # users must be there after a restart.
  durable="no"
  if [[ -n $created && -n $posted && -n $built ]] && ((posted >= created && posted <= built &&
        after - before == posted && after_restart == after && posted_restart == posted)); then
    durable="yes"
  fi
  echo "- POST durability: wrk saw $created × 201 (built $built requests, $((built - created)) unanswered when it" \
       "stopped); users named bench-$stamp-*: $posted, after SIGTERM and restart $posted_restart;" \
       "totalResults $before → $after → $after_restart after restart → durable: $durable"
  echo "- PATCH: the first 20 groups hold $members_total members in total after the run"
  echo
  echo "Targets:"
  awk -v g="$(field "$OUT/wrk-get-by-id.txt" rps)" -v f="$(field "$OUT/wrk-filter-eq.txt" rps)" \
      -v p="$(field "$OUT/wrk-post-users.txt" rps)" -v base="$nginx_rps" -v d="$durable" -v rss="$hwm_after" -v u="$users" '
    function verdict(ok) { return ok ? "met" : "MISSED" }
    BEGIN {
      printf "- GET by id >= 0.5x nginx: %.2fx, %s\n", g / base, verdict(g / base >= 0.5)
      printf "- filter eq >= 0.3x nginx: %.2fx, %s\n", f / base, verdict(f / base >= 0.3)
      printf "- POST >= 7000/s and durable: %.0f/s, durable %s, %s\n", p, d, verdict(p >= 7000 && d == "yes")
      printf "- RSS <= 1.5 GB at 1M users: peak %.0f MiB at %d users%s\n", rss / 1024, u,
             (u >= 1000000 ? ", " verdict(rss * 1024 <= 1.5e9) : " (scale to 1M to judge)")
    }'
} > "$OUT/report.md"
cat "$OUT/report.md"
log "all output in $OUT"
