#!/usr/bin/env bash
# `make lint-compare`: Sluice's policy linter and Parliament (PyPI) over the same policies —
# Sluice's corpus with known verdicts and, when SLUICE_PARLIAMENT_TESTS names a folder of
# Parliament's own unit tests (tests/unit of its source), those policies too. Prints tables.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh" >/dev/null
.venv/bin/python -c 'import parliament' 2>/dev/null ||
  .venv/bin/pip install -q --disable-pip-version-check -r scripts/requirements-bench.txt
cargo build --locked -p sluice-cli
args=(--sluice "$CARGO_TARGET_DIR/debug/sluice")
[ -n "${SLUICE_PARLIAMENT_TESTS:-}" ] && args+=(--parliament-tests "$SLUICE_PARLIAMENT_TESTS")
[ -n "${SLUICE_COMPARE_VERBOSE:-}" ] && args+=(--verbose)
PYTHONWARNINGS=ignore .venv/bin/python scripts/lint_compare.py "${args[@]}"
