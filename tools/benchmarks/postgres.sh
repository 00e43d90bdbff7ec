#!/usr/bin/env bash
# Scale-out figures (issue 11), on loopback:
#   1. read throughput of a 50-comment thread with wrk: SQLite (1 process), then
#      PostgreSQL with 1 and 2 server processes (one wrk per process, run together);
#   2. the cost of 1,000 idle live streams (GET .../events) on one process: RSS and
#      threads before and after, and CPU over an idle period with a 1 s heartbeat
#      (15x the default rate, so that the cost shows).
# Starts a PostgreSQL of its own (Debian's binaries, temporary folder, removed after).
#   tools/benchmarks/postgres.sh [--duration 5s] [--connections 16] [--streams 1000]
# CAUSERIE_SERVER_BIN: the server binary (default: a Release build in build/bench-release).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
duration=5s
connections=16
streams=1000
while [ $# -gt 0 ]; do
  case $1 in
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --streams) streams=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
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
read_bench() {  # label, ports...
  local label=$1; shift
  local files=() wrks=() i=0
  for p in "$@"; do
    wrk -t1 -c"$connections" -d"$duration" "http://127.0.0.1:$p/api/v1/threads/%2Fbench/comments" >"$tmp/wrk.$i" &
    wrks+=($!); files+=("$tmp/wrk.$i"); i=$((i + 1))
  done
  wait "${wrks[@]}"
  local total=0
  for f in "${files[@]}"; do total=$(awk -v a="$total" -v b="$(rps "$f")" 'BEGIN {printf "%.0f", a + b}'); done
  printf '  %-34s %8s req/s  (%d connections per process, %s)\n' "$label" "$total" "$connections" "$duration"
}

echo "read throughput, GET a 50-comment thread ($(nproc) cores, server and wrk on the same machine)"
start_server sqlite "sqlite:$tmp/sqlite/causerie.db"; seed "$port"; read_bench "SQLite, 1 process" "$port"; stop_servers
start_server pg1 "$pgurl"; p1=$port; seed "$p1"; read_bench "PostgreSQL, 1 process" "$p1"
start_server pg2 "$pgurl"; p2=$port; read_bench "PostgreSQL, 2 processes" "$p1" "$p2"; stop_servers

echo
echo "$streams idle live streams on one process (PostgreSQL, heartbeat 1s)"
start_server idle "$pgurl" --events-heartbeat 1s --events-per-ip "$streams" --events-max "$((streams + 10))"
server_pid=${pids[-1]}
python3 - "$port" "$server_pid" "$streams" <<'PY'
import socket, sys, time, os
port, pid, n = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
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
time.sleep(20)
c1, t1 = cpu(), time.time()
print(f"  streams open                       {ok} of {n}")
print(f"  server RSS                         {rss0/1024:.1f} MB before, {rss1/1024:.1f} MB with the streams "
      f"({(rss1-rss0)/max(ok,1):.1f} kB per stream)")
print(f"  server threads                     {th0} before, {th1} with the streams")
print(f"  server CPU while idle              {100*(c1-c0)/(t1-t0):.2f}% of one core "
      f"({n} pings a second)")
PY
