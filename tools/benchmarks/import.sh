#!/usr/bin/env bash
# Import figures (issue 22's budget: 100,000 comments in 30 s or less, 200 MB or less):
# writes a WordPress export (WXR) and a Disqus export of N comments each (nested
# replies, HTML, non-Latin text, every status), then times
# `causerie-server import` into a fresh SQLite file (and, with --postgres, into a
# PostgreSQL of its own), with the peak resident memory (/usr/bin/time's max RSS),
# and a second import of the same file (which must change nothing).
#   tools/benchmarks/import.sh [--comments 100000] [--postgres]
# CAUSERIE_SERVER_BIN: the server binary (default: a Release build in build/bench-release).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
comments=100000
postgres=0
while [ $# -gt 0 ]; do
  case $1 in
    --comments) comments=$2; shift 2 ;;
    --postgres) postgres=1; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
bin=${CAUSERIE_SERVER_BIN:-}
if [ -z "$bin" ]; then
  build=$root/build/bench-release
  [ -f "$build/build.ninja" ] || cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" -j2 --target causerie-server >/dev/null
  bin=$build/src/server/causerie-server
fi
work=$(mktemp -d)
pg_started=""
cleanup() {
  [ -n "$pg_started" ] && "$pgbin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

python3 "$root/tools/benchmarks/import_exports.py" "$comments" "$work/wordpress.xml" "$work/disqus.xml"

# Runs one import; prints "seconds max-RSS-MB" and the import's summary lines.
measure() {
  local label=$1; shift
  /usr/bin/time -f '%e %M' -o "$work/time" "$bin" import "$@" >"$work/out" 2>&1 || { cat "$work/out" >&2; exit 1; }
  read -r seconds kb <"$work/time"
  printf '%-44s %6.1f s  %5d MB  %s\n' "$label" "$seconds" $(( kb / 1024 )) \
    "$(grep -E '^comments (imported|to import)' "$work/out" | sed 's/^comments //') / $(grep -E '^already imported' "$work/out" | sed 's/.*: //') already"
}

echo "files: WXR $(du -m "$work/wordpress.xml" | cut -f1) MB, Disqus $(du -m "$work/disqus.xml" | cut -f1) MB, $comments comments each"
for from in wordpress disqus; do
  db="sqlite:$work/$from.db"
  measure "SQLite, $from, first import" --db "$db" --from "$from" "$work/$from.xml"
  measure "SQLite, $from, same file again" --db "$db" --from "$from" "$work/$from.xml"
done
if [ "$postgres" = 1 ]; then
  pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  run_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  mkdir -p "$work/pg"; [ "$(id -u)" = 0 ] && chown postgres "$work" "$work/pg"
  run_pg "$pgbin/initdb" -D "$work/pg" -A trust -U causerie >/dev/null
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  run_pg "$pgbin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w -o "-p $port -k $work -c listen_addresses=127.0.0.1" start >/dev/null
  pg_started=1
  for from in wordpress disqus; do
    run_pg "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U causerie "$from"
    db="postgresql://causerie@127.0.0.1:$port/$from"
    measure "PostgreSQL, $from, first import" --db "$db" --from "$from" "$work/$from.xml"
    measure "PostgreSQL, $from, same file again" --db "$db" --from "$from" "$work/$from.xml"
  done
fi
