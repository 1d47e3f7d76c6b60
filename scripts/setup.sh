#!/usr/bin/env bash
# Installs what `make serve` / `make test` / `make bench` need, only when it is missing or at the wrong
# version. Never downloads from outside the package registries (crates.io, npm, Debian).
#
#   scripts/setup.sh serve   # wasm32 target, trunk, wasm-bindgen-cli, npm packages (wasm-opt)
#   scripts/setup.sh test    # + wasm-pack, Debian chromium + chromium-driver
#   scripts/setup.sh npm     # + wasm-pack (make npm: the npm package)
#   scripts/setup.sh bench   # + wasm-pack, brotli
set -euo pipefail
mode=${1:-serve}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"

TRUNK_VERSION=0.21.14
WASM_PACK_VERSION=0.15.1
# The CLI must equal the exact `wasm-bindgen = "=X"` pin in Cargo.toml.
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' Cargo.toml)
[ -n "$WASM_BINDGEN_VERSION" ] || { echo "setup: no exact wasm-bindgen pin in Cargo.toml" >&2; exit 1; }

say() { printf 'setup: %s\n' "$*"; }

# --- Rust target and cargo-installed tools -------------------------------------------------------
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# cargo_tool BIN "VERSION-LINE" INSTALL-ARGS…: installs when `BIN --version` is not VERSION-LINE.
cargo_tool() {
  local bin=$1 want=$2; shift 2
  local have
  have=$("$bin" --version 2>/dev/null | head -n1 || true)
  if [ "$have" = "$want" ]; then return; fi
  say "installing $want (found: ${have:-none})"
  cargo install --force "$@"
}
cargo_tool trunk "trunk $TRUNK_VERSION" --locked trunk --version "$TRUNK_VERSION"
# Without --locked: the registry mirror lacks a webpki-roots version its lockfile names.
cargo_tool wasm-bindgen "wasm-bindgen $WASM_BINDGEN_VERSION" wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
if [ "$mode" = test ] || [ "$mode" = npm ] || [ "$mode" = bench ]; then
  cargo_tool wasm-pack "wasm-pack $WASM_PACK_VERSION" --locked wasm-pack --version "$WASM_PACK_VERSION"
fi

# --- Debian packages ----------------------------------------------------------------------------
need_pkgs=()
if [ "$mode" = test ]; then
  [ -x /usr/bin/chromium ] || need_pkgs+=(chromium)
  [ -x /usr/bin/chromedriver ] || need_pkgs+=(chromium-driver)
fi
if [ "$mode" = bench ]; then
  command -v brotli >/dev/null || need_pkgs+=(brotli)
fi
if [ ${#need_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing Debian packages: ${need_pkgs[*]}. Run:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${need_pkgs[*]}" >&2
    exit 1
  fi
  say "installing Debian packages: ${need_pkgs[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" </dev/null
fi

# --- npm packages (wasm-opt from binaryen, playwright-core, liquidjs); never a browser download ----
e2e=tests/e2e
stamp=$e2e/node_modules/.flowpen-lock
if ! cmp -s "$e2e/package-lock.json" "$stamp" 2>/dev/null; then
  say "installing npm packages in $e2e"
  (cd "$e2e" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  cp "$e2e/package-lock.json" "$stamp"
fi
say "ready ($mode)"
