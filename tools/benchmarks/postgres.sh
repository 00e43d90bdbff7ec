#!/usr/bin/env bash
# Scale-out figures, on loopback; `tools/bench scaleout` runs it.
#   1. read throughput of a 50-comment thread with wrk: SQLite (1 process), then
#      PostgreSQL with 1 and 2 server processes, each after a 2 s warm-up. Every run has the same client load:
#      two wrk processes of N connections each, started together; with 2 server
#      processes each wrk talks to its own. The CPU each server process used during
#      the run is printed next to its requests, so that it shows both were working.
#   2. the cost of 1,000 idle live streams (GET .../events) on one process: RSS and
#      threads before and after, and CPU over an idle period with a 1 s heartbeat
#      (15x the default rate, so that the cost shows).
# Starts a PostgreSQL of its own (Debian's binaries, temporary folder, removed after).
#   tools/benchmarks/postgres.sh [--duration 5s] [--connections 16] [--streams 1000] [--idle 20]
# CAUSERIE_SERVER_BIN: the server binary (default: a Release build in build/bench-release).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
duration=5s
connections=16
streams=1000
idle_seconds=20
while [ $# -gt 0 ]; do
  case $1 in
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --streams) streams=$2; shift 2 ;;
    --idle) idle_seconds=$2; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "needs wrk (tools/setup)" >&2; exit 1; }
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$pgbin/initdb" ] || { echo "needs PostgreSQL server binaries (tools/setup)" >&2; exit 1; }

bin=${CAUSERIE_SERVER_BIN:-}
if [ -z "$bin" ]; then
  build=$root/build/bench-release
  [ -f "$build/build.ninja" ] || cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" -j2 --target causerie-server >/dev/null
  bin=$build/src/server/causerie-server
fi

tmp=$(mktemp -d)
pids=()
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  [ -f "$tmp/pg/postmaster.pid" ] && as_pg "$pgbin/pg_ctl" -D "$tmp/pg" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
[ "$(id -u)" = 0 ] && chown postgres "$tmp"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# PostgreSQL with its default durability settings (fsync on), as a site would run it.
pgport=$(free_port)
as_pg "$pgbin/initdb" -D "$tmp/pg" -U causerie --auth=trust -E UTF8 --locale=C >/dev/null
as_pg "$pgbin/pg_ctl" -D "$tmp/pg" -l "$tmp/pg.log" -w -o "-k $tmp -p $pgport -c listen_addresses=127.0.0.1" start >/dev/null
as_pg "$pgbin/createdb" -h 127.0.0.1 -p "$pgport" -U causerie causerie
pgurl="postgresql://causerie@127.0.0.1:$pgport/causerie"

start_server() {  # name, --db value, extra args...; sets $port and appends to pids
  local name=$1 db=$2; shift 2
  rm -f "$tmp/$name.port"
  "$bin" --listen 127.0.0.1:0 --port-file "$tmp/$name.port" --db "$db" --moderation open \
    --rate-post 0 --rate-read 0 --no-access-log "$@" 2>"$tmp/$name.log" &
  pids+=($!)
  for _ in $(seq 1 200); do [ -s "$tmp/$name.port" ] && break; sleep 0.05; done
  port=$(cat "$tmp/$name.port")
}
stop_servers() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  pids=()
}
seed() {  # port: a 50-comment thread
  for i in $(seq 1 50); do
    curl -s -o /dev/null -X POST -H 'Content-Type: application/json' \
      -d "{\"author\":{\"name\":\"Lecteur $i\",\"email\":\"l$i@example.org\"},\"body\":\"Commentaire numéro $i, d'une longueur ordinaire pour un fil de discussion.\"}" \
      "http://127.0.0.1:$1/api/v1/threads/%2Fbench/comments"
  done
}
rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
cpu_ticks() { awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$1/stat"; }  # utime + stime of a pid
pg_ticks() {  # CPU ticks of this PostgreSQL: the postmaster and its children (the backends)
  [ -f "$tmp/pg/postmaster.pid" ] || { echo 0; return; }
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v pm="$(head -n 1 "$tmp/pg/postmaster.pid")" \
    '{pid = $1; sub(/.*\) /, ""); if (pid == pm || $2 == pm) t += $12 + $13} END {print t + 0}'
}
read_bench() {  # label, then one "port:pid" per wrk (the same server may appear twice)
  local label=$1; shift
  local files=() wrks=() i=0 target servers=() before=() t0 t1
  for target in "$@"; do
    case " ${servers[*]} " in *" ${target#*:} "*) ;; *) servers+=("${target#*:}") ;; esac
  done
  # Warm-up, not counted: a server's first requests open its pool's database
  # connections (a PostgreSQL backend each) and prepare its statements; measured cold,
  # that start-up alone put the p99 of one PostgreSQL process at 550-930 ms.
  for target in "$@"; do
    wrk -t1 -c"$connections" -d2s "http://127.0.0.1:${target%%:*}/api/v1/threads/%2Fbench/comments" >/dev/null &
    wrks+=($!)
  done
  wait "${wrks[@]}"
  wrks=()
  for p in "${servers[@]}"; do before+=("$(cpu_ticks "$p")"); done
  local pg_before pg_after
  pg_before=$(pg_ticks)
  t0=$(date +%s.%N)
  for target in "$@"; do
    wrk -t1 -c"$connections" -d"$duration" --latency "http://127.0.0.1:${target%%:*}/api/v1/threads/%2Fbench/comments" >"$tmp/wrk.$i" &
    wrks+=($!); files+=("$tmp/wrk.$i"); i=$((i + 1))
  done
  wait "${wrks[@]}"
  t1=$(date +%s.%N)
  pg_after=$(pg_ticks)
  local total=0 parts=() p99s=() f errors=""
  for f in "${files[@]}"; do
    total=$(awk -v a="$total" -v b="$(rps "$f")" 'BEGIN {printf "%.0f", a + b}')
    parts+=("$(rps "$f" | awk '{printf "%.0f", $1}')")
    p99s+=("$(awk '$1 == "99%" {print $2}' "$f")")
    if grep -qE 'Non-2xx|Socket errors' "$f"; then errors="$errors $(grep -E 'Non-2xx|Socket errors' "$f" | tr -s ' ' | paste -sd ';' -)"; fi
  done
  local cpu="" k=0 tick
  tick=$(getconf CLK_TCK)
  for p in "${servers[@]}"; do
    cpu="$cpu${cpu:+, }$(awk -v a="${before[$k]}" -v b="$(cpu_ticks "$p")" -v t="$tick" -v s="$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')" \
      'BEGIN {printf "%.0f%%", 100 * (b - a) / t / s}')"
    k=$((k + 1))
  done
  local pg_cpu=""
  case $label in PostgreSQL*) pg_cpu=$(awk -v a="$pg_before" -v b="$pg_after" -v t="$tick" -v s="$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')" \
    'BEGIN {printf "; PostgreSQL CPU %.0f%%", 100 * (b - a) / t / s}') ;; esac
  printf '  %-26s %8s req/s  (wrk: %s req/s; p99 %s; server CPU %s of one core%s)%s\n' "$label" "$total" \
    "$(IFS=+; echo "${parts[*]}")" "$(IFS=/; echo "${p99s[*]}")" "$cpu" "$pg_cpu" "${errors:+  errors:$errors}"
}

echo "read throughput, GET a 50-comment thread: $(nproc) cores shared by the servers, PostgreSQL and wrk;"
echo "every run: 2 wrk processes x $connections connections, $duration, started together"
start_server sqlite "sqlite:$tmp/sqlite/causerie.db"; seed "$port"
read_bench "SQLite, 1 process" "$port:${pids[-1]}" "$port:${pids[-1]}"; stop_servers
start_server pg1 "$pgurl"; p1=$port; s1=${pids[-1]}; seed "$p1"
read_bench "PostgreSQL, 1 process" "$p1:$s1" "$p1:$s1"
start_server pg2 "$pgurl"; p2=$port; s2=${pids[-1]}
read_bench "PostgreSQL, 2 processes" "$p1:$s1" "$p2:$s2"; stop_servers
echo
echo "$streams idle live streams on one process (PostgreSQL, heartbeat 1s)"
start_server idle "$pgurl" --events-heartbeat 1s --events-per-ip "$streams" --events-max "$((streams + 10))"
server_pid=${pids[-1]}
python3 - "$port" "$server_pid" "$streams" "$idle_seconds" <<'PY'
import socket, sys, time, os, resource
port, pid, n, idle = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
if soft < n + 64: resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, n + 64), hard))
tick = os.sysconf("SC_CLK_TCK")
def status():
    rss = threads = 0
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"): rss = int(line.split()[1])
        if line.startswith("Threads:"): threads = int(line.split()[1])
    return rss, threads
def cpu():
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / tick
rss0, th0 = status()
socks = []
for i in range(n):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /api/v1/threads/%2Fbench/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
    socks.append(s)
ok = 0
for s in socks:
    s.settimeout(5)
    if s.recv(4096).startswith(b"HTTP/1.1 200"): ok += 1
time.sleep(1)
rss1, th1 = status()
c0, t0 = cpu(), time.time()
time.sleep(idle)
c1, t1 = cpu(), time.time()
print(f"  streams open                       {ok} of {n}")
print(f"  server RSS                         {rss0/1024:.1f} MB before, {rss1/1024:.1f} MB with the streams "
      f"({(rss1-rss0)/max(ok,1):.1f} kB per stream)")
print(f"  server threads                     {th0} before, {th1} with the streams")
print(f"  server CPU while idle              {100*(c1-c0)/(t1-t0):.2f}% of one core "
      f"({n} pings a second)")
PY
