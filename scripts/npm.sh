#!/usr/bin/env bash
# `make npm`: builds the npm package (npm/ + the wasm module of crates/flowpen-js) into
# target/npm/package and packs it to target/npm/flowpen-<version>.tgz. Nothing is downloaded:
# wasm-pack runs with --mode no-install (the installed wasm-bindgen CLI, which equals the pinned
# crate) and --no-opt; binaryen's wasm-opt from tests/e2e/node_modules optimizes the module.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source scripts/env.sh

version=$(sed -n '/^\[workspace.package\]/,/^\[/ s/^version = "\(.*\)"/\1/p' Cargo.toml)
[ -n "$version" ] || { echo "npm: no workspace version in Cargo.toml" >&2; exit 1; }
out=target/npm
stage=$out/package
rm -rf "$stage" "$out/flowpen-$version.tgz"
mkdir -p "$stage"

# The wasm module: one build for Node and the browser (the `web` target's ES module glue; Node
# gives it the bytes with initSync). The `npm` profile is opt-level 3 (the package's Liquid must
# keep up with liquidjs), LTO, one codegen unit.
wasm-pack --quiet build crates/flowpen-js --target web --profile npm --mode no-install --no-opt \
  --no-pack --no-typescript --out-dir "$root/$stage/wasm" --out-name flowpen
rm -f "$stage/wasm/.gitignore"
wasm-opt -O3 "$stage/wasm/flowpen_bg.wasm" -o "$stage/wasm/flowpen_bg.wasm"

# The hand-written wrapper, types and bin, with the workspace's version.
cp -R npm/. "$stage/"
node -e '
  const fs = require("fs");
  const file = process.argv[1];
  const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
  pkg.version = process.argv[2];
  fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + "\n");
' "$stage/package.json" "$version"

(cd "$stage" && npm pack --silent --pack-destination .. >/dev/null)
tgz=$out/flowpen-$version.tgz
[ -f "$tgz" ] || { echo "npm: $tgz was not written" >&2; exit 1; }
printf 'npm: %s (%s bytes; wasm %s bytes)\n' "$tgz" "$(stat -c %s "$tgz")" "$(stat -c %s "$stage/wasm/flowpen_bg.wasm")"
