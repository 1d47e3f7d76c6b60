#!/usr/bin/env bash
# `make bench`: size and speed. Paste the output into BENCHMARKS.md with the command that made it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source scripts/env.sh

echo "## Bundle size (trunk build --release)"
trunk build --release --offline >/dev/null 2>&1 || { echo "release build failed"; exit 1; }
printf '| file | raw | gzip -9 | brotli -q 11 |\n|---|---:|---:|---:|\n'
for f in dist/*.wasm dist/*.js; do
  raw=$(stat -c %s "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  br=$(brotli -q 11 -c "$f" | wc -c)
  printf '| %s | %s | %s | %s |\n' "$(basename "$f" | sed -E 's/-[0-9a-f]{16}//')" "$raw" "$gz" "$br"
done
