# Sourced by the Makefile's scripts: tools on PATH in the order trunk must find them.
# binaryen 132 from npm comes first so that an old /usr/bin/wasm-opt is never picked up.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$root/tests/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
# wasm-bindgen-test-runner: Debian chromium with the flags this machine needs (chromedriver gives
# every session a fresh profile directory).
export WASM_BINDGEN_TEST_WEBDRIVER_JSON="$root/tests/webdriver.json"
export CHROMEDRIVER=/usr/bin/chromedriver
