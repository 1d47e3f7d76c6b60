# Flowpen: two commands for a newcomer, `make serve` and `make test`. See README.md.
SHELL := /bin/bash
ENV := source scripts/env.sh &&
PORT ?= 8080

.PHONY: serve dev test check e2e bench setup setup-test cli npm clean

## serve: install what is missing, build the release app and serve it at http://127.0.0.1:$(PORT)
serve:
	scripts/setup.sh serve
	$(ENV) cargo build --release -p flowpen-cli
	$(ENV) trunk build --release --offline
	@echo "Flowpen: http://127.0.0.1:$(PORT)/  (the flowpen CLI: target/release/flowpen)"
	$(ENV) node tests/e2e/lib/serve.mjs dist $(PORT)

## dev: trunk's debug build with live reload (faster rebuilds, bigger wasm)
dev:
	scripts/setup.sh serve
	$(ENV) trunk serve --offline --address 127.0.0.1 --port $(PORT)

## test: install what tests need, then fmt, clippy, native, wasm, release build and e2e
test:
	scripts/setup.sh test
	scripts/test.sh

## check: the fast inner loop (fmt, clippy native, native tests)
check:
	SUITES="fmt clippy native" scripts/test.sh

## e2e: only the browser end-to-end suite (rebuilds the release app first)
e2e:
	scripts/setup.sh test
	SUITES="build e2e" scripts/test.sh

## bench: benchmarks; results go to BENCHMARKS.md by hand, with this command
bench:
	scripts/setup.sh bench
	scripts/bench.sh

## npm: build the npm package and pack it to target/npm/flowpen-<version>.tgz (see README.md)
npm:
	scripts/setup.sh npm
	scripts/npm.sh

## cli: build the native `flowpen` command into target/release/flowpen
cli:
	$(ENV) cargo build --release -p flowpen-cli

clean:
	rm -rf dist target/e2e target/test-logs
