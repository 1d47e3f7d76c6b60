#!/usr/bin/env bash
# `make test`: every check in order, then one summary line `N passed, N failed`.
# A check that is not a test suite (fmt, clippy, the release build…) counts as one test.
# Suites: SUITES="fmt deps clippy native wasm npm build e2e" (default: all) runs a subset.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source scripts/env.sh
suites=${SUITES:-"fmt deps clippy native wasm npm build e2e"}
log_dir=target/test-logs
mkdir -p "$log_dir"
passed=0 failed=0
failures=()

want() { [[ " $suites " == *" $1 "* ]]; }

# count LOG STATUS: adds the counts a suite printed to the totals (a failure without counts counts
# as one) and leaves this suite's numbers in $counted. Not called in a subshell: it updates totals.
count() {
  local log=$1 status=$2 p f
  # libtest: "test result: ok. 12 passed; 0 failed; …"; e2e: "e2e: 3 passed, 0 failed";
  # node --test (TAP): "# pass 6" and "# fail 0"
  p=$(grep -aoE '(test result: [A-Za-z]+\. [0-9]+ passed|^e2e: [0-9]+ passed|^# pass [0-9]+$)' "$log" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')
  f=$(grep -aoE '([0-9]+ failed;|^e2e: [0-9]+ passed, [0-9]+ failed|^# fail [0-9]+$)' "$log" | grep -oE '[0-9]+ failed|fail [0-9]+' | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')
  if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  passed=$((passed + p)); failed=$((failed + f))
  counted="$p passed, $f failed"
}

# step NAME KIND COMMAND…: KIND is "check" (one pass/fail) or "suite" (counts from the output).
step() {
  local name=$1 kind=$2; shift 2
  local log="$log_dir/$name.log"
  printf '==> %s: %s\n' "$name" "$*"
  local start=$SECONDS
  "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  local took=$((SECONDS - start))
  if [ "$kind" = check ]; then
    if [ "$status" -eq 0 ]; then passed=$((passed + 1)); echo "<== $name: ok (${took}s)";
    else failed=$((failed + 1)); failures+=("$name"); echo "<== $name: FAILED (${took}s)"; fi
  else
    local before=$failed
    count "$log" "$status"
    echo "<== $name: $counted (${took}s)"
    [ "$failed" -eq "$before" ] || failures+=("$name")
  fi
}

wasm_suites() {
  local status=0 dir
  for dir in crates/*/; do
    compgen -G "${dir}tests/*web*.rs" >/dev/null || compgen -G "${dir}tests/*web*/main.rs" >/dev/null || continue
    (cd "$dir" && wasm-pack test --headless --chrome --chromedriver /usr/bin/chromedriver --mode no-install) || status=1
  done
  return $status
}

npm_tests() {
  cargo build --quiet --locked -p flowpen-cli || return 1
  node --test --test-reporter=tap --test-concurrency=1 tests/npm/
}

want fmt && step fmt check cargo fmt --all --check
want deps && step pure-core check scripts/check-pure-core.sh
want clippy && step clippy-native check cargo clippy --workspace --all-targets --locked -- -D warnings
want clippy && step clippy-wasm32 check cargo clippy --workspace --exclude flowpen-cli --all-targets --locked --target wasm32-unknown-unknown -- -D warnings
want native && step native suite cargo test --workspace --locked
want wasm && step wasm suite wasm_suites
# The npm package (make npm), then its Node tests against the packed tarball; they compare with
# the native CLI, built here when the native suite did not run.
want npm && step npm-package check scripts/npm.sh
want npm && step npm suite npm_tests
want build && step release-build check trunk build --release --offline
want build && step bundle-size check scripts/check-bundle.sh
want e2e && step e2e suite node tests/e2e/run.mjs

[ ${#failures[@]} -eq 0 ] || echo "failed: ${failures[*]} (logs in $log_dir/)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
