# Sluice — the two commands that matter: `make demo` and `make test`.
.PHONY: demo run test fuzz bench lint-compare setup ui build-app screenshot clean-cache package window-soak

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

## Coverage-guided fuzzing of every parser of outside data, FUZZ_SECONDS (default 60) each.
fuzz:
	@scripts/fuzz.sh

## Installable packages: a .deb and an .rpm (app + sluice CLI) under $CARGO_TARGET_DIR/release/bundle.
package:
	@scripts/package.sh

## The window suite 5 times in a row beside a CPU hog (run after make test).
window-soak:
	@scripts/window-soak.sh 5

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
