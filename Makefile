# Sluice — the two commands that matter: `make demo` and `make test`.
.PHONY: demo run test bench lint-compare setup ui build-app screenshot clean-cache

SHELL := /bin/bash

## Start a local AWS emulator with a small demo vendor world and open the app on it.
demo:
	@scripts/demo.sh

## Open the app against real AWS (your default credentials chain).
run: setup ui
	@source scripts/lib.sh && cargo run -p sluice-app --release

## Everything CI checks: fmt, clippy, unit + emulator + keyring + real-window tests, UI checks.
test:
	@scripts/test.sh

## Benchmarks: release app cold start and idle memory.
bench:
	@scripts/bench.sh

## Sluice's policy linter beside Parliament over the same policies (a table, never pass/fail).
lint-compare:
	@scripts/lint_compare.sh

setup:
	@scripts/setup.sh

ui:
	@cd ui && npm run build --silent

## Refresh the README screenshot from the real window under Xvfb.
screenshot:
	@scripts/screenshot.sh
