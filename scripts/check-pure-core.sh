#!/usr/bin/env bash
# Architecture invariant: the core crates, the playground model and the command's pure half never depend on the browser (yew, web-sys, js-sys, gloo,
# wasm-bindgen), natively or on wasm32. Checked over `cargo tree -e normal` for every target.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
for crate in flowpen-flow flowpen-liquid flowpen-engine flowpen-playground flowpen-command; do
  bad=$(cargo tree --locked -e normal -p "$crate" --target all --prefix none 2>/dev/null \
        | grep -E '^(yew|web-sys|js-sys|gloo[a-z-]*|wasm-bindgen[a-z-]*) ' | sort -u || true)
  if [ -n "$bad" ]; then
    echo "$crate must stay pure but depends on:"; echo "$bad" | sed 's/^/  /'; status=1
  else
    echo "$crate: pure (no browser crates in its dependency tree)"
  fi
done
exit $status
