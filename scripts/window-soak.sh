#!/usr/bin/env bash
# The window suite N times in a row (default 5) with a CPU hog beside it: one busy loop per
# core, each ended by `timeout`. Prints one line per run and "N passed, M failed" at the end.
# Run after `make test` (it reuses that build).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

runs="${1:-5}"
hog_seconds="${SLUICE_HOG_SECONDS:-3600}"
hogs=()
stop_hogs() { for p in "${hogs[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; }
trap stop_hogs EXIT INT TERM
for _ in $(seq 1 "$(nproc)"); do
  timeout "$hog_seconds" sh -c 'while :; do :; done' &
  hogs+=($!)
done

tests=()
for f in tests/tests/window*.rs; do tests+=(--test "$(basename "$f" .rs)"); done
passed=0 failed=0
mkdir -p out
for i in $(seq 1 "$runs"); do
  start=$(date +%s)
  if "$ROOT/scripts/with-desktop.sh" cargo test -p sluice-e2e --locked "${tests[@]}" \
      >"out/window-soak-$i.log" 2>&1; then
    passed=$((passed + 1)); verdict=passed
  else
    failed=$((failed + 1)); verdict="FAILED (out/window-soak-$i.log)"
  fi
  echo "run $i: $verdict in $(( $(date +%s) - start )) s"
done
echo "window suite under a CPU hog: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
