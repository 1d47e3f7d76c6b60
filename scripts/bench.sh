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

# --- Liquid (crates/flowpen-liquid) -------------------------------------------------------------
# (a) the crate natively; (b) the npm package's Liquid API (make npm: crates/flowpen-js) against
# (c) liquidjs, in one Node process, the context an object on every call. See the `## Liquid`
# section of BENCHMARKS.md.
echo
echo "## Liquid, native (cargo run --profile bench -p flowpen-liquid --example liquid_bench)"
cargo run --quiet --profile bench -p flowpen-liquid --example liquid_bench
echo
echo "## Liquid, the npm package's API vs liquidjs (scripts/npm.sh, then node tests/bench/liquid.mjs)"
scripts/npm.sh
node tests/bench/liquid.mjs

# --- Flow model (crates/flowpen-flow) ------------------------------------------------------------
echo
echo "## Flow import + validate + export (cargo run --profile bench -p flowpen-flow --example flow_bench)"
cargo run --quiet --profile bench -p flowpen-flow --example flow_bench

# --- Engine (crates/flowpen-engine): native, then the wasm bindings of crates/flowpen-bindings ---
echo
echo "## Engine steps per second (examples/bench.rs natively; tests/bench/engine.mjs on the wasm build)"
cargo build --quiet --release --target wasm32-unknown-unknown -p flowpen-bindings
wasm-bindgen --target nodejs --out-dir target/bench-wasm "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/flowpen_bindings.wasm"
printf '| build | steps | median time | throughput |\n|---|---:|---:|---:|\n'
cargo run --quiet --profile bench -p flowpen-engine --example engine_bench
node tests/bench/engine.mjs

# --- Flow tests (crates/flowpen-playground flowtest, flowpen test) -------------------------------
# A generated 200-case file for the random number example: the pure runner on one thread, then
# the release `flowpen test` end to end (its cases in parallel; median of 21 runs).
echo
echo "## Flow tests (cargo run --profile bench -p flowpen-playground --example flowtest_bench)"
cargo run --quiet --profile bench -p flowpen-playground --example flowtest_bench
cargo build --quiet --release -p flowpen-cli
flowpen_bin="${CARGO_TARGET_DIR:-target}/release/flowpen"
for jobs in "" "--jobs 1"; do
  times=()
  for _ in $(seq 1 21); do
    start=$(date +%s%N)
    "$flowpen_bin" test $jobs target/bench-flowtest/bench.test.yaml >/dev/null
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v jobs="${jobs:-one per core}" \
    '{t[NR]=$1} END {printf "| flowpen test, 200 cases (%s) | median %d ms (min %d, max %d) |\n", jobs, t[int(NR/2)+1], t[1], t[NR]}'
done
# --- Share links (crates/flowpen-playground) ----------------------------------------------------
# Link lengths of format 1, format 2 and lz-string on the same text, in one run. See
# `## Share links` in BENCHMARKS.md.
echo
echo "## Share link lengths (share_lengths example, then node tests/bench/share.mjs)"
cargo run --quiet --profile bench -p flowpen-playground --example share_lengths
node tests/bench/share.mjs

# --- Editor (crates/flowpen-web) -----------------------------------------------------------------
# Opening the largest corpus flow and a generated 1,000-widget flow, and dragging a widget, in
# headless Chromium against the release build in dist/ (above). See `## Editor` in BENCHMARKS.md.
echo
node tests/bench/editor.mjs dist
