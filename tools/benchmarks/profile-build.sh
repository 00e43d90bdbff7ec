#!/usr/bin/env bash
# Relinks the widget from build/wasm's own objects with --profiling-funcs: the same
# code (same flags, same LTO), plus a name section, so that profiles and the size
# breakdown show function names. Output: $1/causerie-widget.{js,wasm} next to a copy
# of the rest of build/wasm/web. Skips the link when the release wasm has not changed.
#   tools/benchmarks/profile-build.sh OUT_DIR
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$(realpath -m "$1")
wasm_build=$root/build/wasm
release=$wasm_build/web/causerie-widget.wasm
[ -f "$release" ] || { echo "profile-build: $release is missing (run tools/build)" >&2; exit 1; }

stamp=$out/.release-sha256
sum=$(sha256sum "$release" | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ] && [ -f "$out/causerie-widget.wasm" ]; then
  exit 0
fi
rm -rf "$out"; mkdir -p "$out"
cp -r "$wasm_build/web/." "$out/"
# The release build's .br/.gz of the two would be stale next to the relinked ones
# (the server ignores older siblings, but they have no business here).
rm -f "$out"/causerie-widget.{js,wasm}{,.br,.gz}

# The link command ninja would run, with the output moved and names kept.
link=$(ninja -C "$wasm_build" -t commands causerie-widget | tail -n 1)
case $link in *"-o web/causerie-widget.js"*) ;; *) echo "profile-build: unexpected link command: $link" >&2; exit 1 ;; esac
link=${link//-o web\/causerie-widget.js/-o $out\/causerie-widget.js --profiling-funcs}
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
(cd "$wasm_build" && eval "$link")
echo "$sum" >"$stamp"
