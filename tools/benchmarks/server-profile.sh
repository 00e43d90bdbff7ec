#!/usr/bin/env bash
# Where causerie-server spends its CPU under load: perf (cpu-clock samples, call
# graphs) on the Release server while wrk reads a 200-comment thread, then posts, at
# 64 connections; and how much wall time the posting threads spend in fsync and
# lock waits (strace -c, a separate short run: strace slows the server down).
# Writes OUT_DIR/server-profile.txt. Needs perf (linux-perf) and strace; skips without.
#   tools/benchmarks/server-profile.sh OUT_DIR DB
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$1
db_source=$2
bin=${CAUSERIE_SERVER_BIN:-$root/build/bench-release/src/server/causerie-server}
mkdir -p "$out"
report=$out/server-profile.txt
if ! command -v perf >/dev/null || ! perf record -q -e cpu-clock -o /dev/null -- true 2>/dev/null; then
  echo "server profile: skipped (perf is missing or not allowed here)" | tee "$report"
  exit 0
fi

tmp=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
cp "$db_source" "$tmp/bench.db"  # a copy: the posting run writes
"$bin" --listen 127.0.0.1:0 --port-file "$tmp/port" --db "sqlite:$tmp/bench.db" --static "$tmp" --sync full \
  --moderation open --rate-post 0 --rate-read 0 --no-access-log --threads 64 2>"$tmp/server.log" &
pid=$!
for _ in $(seq 1 200); do [ -s "$tmp/port" ] && break; sleep 0.05; done
base="http://127.0.0.1:$(cat "$tmp/port")"

top_symbols() {  # perf data, title
  echo "== $2"
  perf report -i "$1" --no-children --stdio --sort dso,sym -g none --percent-limit 1.5 2>/dev/null \
    | grep -vE '^#|^$' | sed 's/ \+$//' | head -n 16
  echo "-- user-space functions, inclusive (children) time: which calls lead to the kernel time above"
  perf report -i "$1" --children --stdio --sort dso,sym -g none --percent-limit 4 2>/dev/null \
    | grep -vE '^#|^$|\[k\]' | sed 's/ \+$//' | head -n 16
  echo
}
profile() {  # title, name, wrk args...
  local title=$1 name=$2; shift 2
  wrk -t2 -c64 -d6s "$@" >"$tmp/$name.wrk" &
  local wrk_pid=$!
  sleep 1
  perf record -q -e cpu-clock -g -p "$pid" -o "$tmp/$name.data" -- sleep 4 2>/dev/null
  wait "$wrk_pid"
  top_symbols "$tmp/$name.data" "$title ($(awk '/^Requests\/sec/ {print $2}' "$tmp/$name.wrk") req/s under perf): server CPU by function, self"
}

{
  echo "causerie-server under perf record -e cpu-clock -g, 4 s in the middle of a 6 s wrk run, 64 connections"
  echo
  profile "GET a 200-comment thread (limit=200)" read "$base/api/v1/threads/%2Fbench%2Ft200/comments?limit=200"
  profile "POST a comment, --sync full" post -s "$root/tools/benchmarks/post_comment.lua" "$base/api/v1/threads/%2Fbench%2Fprofile-post/comments"
  if command -v strace >/dev/null; then
    echo "== POST a comment, --sync full: system calls of all server threads over 3 s (strace -f -c; wall time in each call)"
    wrk -t2 -c64 -d5s -s "$root/tools/benchmarks/post_comment.lua" "$base/api/v1/threads/%2Fbench%2Fprofile-strace/comments" >/dev/null &
    wrk_pid=$!
    sleep 1
    timeout -s INT 3 strace -f -c -w -p "$pid" -o "$tmp/strace.txt" 2>/dev/null || true
    wait "$wrk_pid"
    head -n 12 "$tmp/strace.txt"
  fi
} >"$report"
cat "$report"
