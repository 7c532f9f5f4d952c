#!/usr/bin/env bash
# `make bench`: measurements, never pass/fail. Policies: the linter beside Parliament over the
# same policies (scripts/lint_compare.py). Streams: decode-chain throughput on a mixed
# million-record corpus, and `sluice stream read` of 10,000 records beside an AWS CLI loop
# (tests/src/bin/bench_streams.rs). Browse: streaming preview vs the AWS CLI and
# listing 100k keys (tests/src/bin/bench_browse.rs, one moto server, baseline in the same run).
# Reports: one CSV out of ≥ 500 MB of gzipped hourly partitions beside `aws s3 cp --recursive`
# + zcat and beside zcat alone, with peak PSS at two range sizes (tests/src/bin/bench_reports.rs).
# Publish: 100,000 DataMiner rows converted and put into moto beside `aws kinesis put-records`
# over 500-record batch files, and conversion alone; peak PSS of `stream publish` over
# 100,000 and 1,000,000 rows (tests/src/bin/bench_publish.rs). Tail: PSS of `stream tail`
# following 2 shards at 1 MB/s each for 10 minutes beside an idle tail
# (tests/src/bin/bench_tail_memory.rs; SLUICE_BENCH_TAIL_SECONDS).
# App: start-up as a user sees it (window mapped, first painted page found in the window's
# pixels) and PSS summed over the app and its WebKit processes, alternating with WebKitGTK's
# MiniBrowser on a static page of the same shape (scripts/bench_startup.py).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/setup.sh"
{ [ -x .venv/bin/aws ] && .venv/bin/python -c 'import parliament' 2>/dev/null; } ||
  .venv/bin/pip install -q --disable-pip-version-check -r scripts/requirements-bench.txt

step "policies: Sluice's linter beside Parliament over the same policies"
"$ROOT/scripts/lint_compare.sh"

step "streams: decode-chain throughput, and reading 10,000 records vs the AWS CLI (release build)"
cargo build --release --locked -p sluice-cli
cargo run --release --locked -p sluice-e2e --bin bench_streams

step "publish: 100,000 DataMiner rows into Kinesis vs aws kinesis put-records, and memory at 10× (release build)"
cargo build --release --locked -p sluice-cli -p sluice-e2e --bin sluice --bin bench_publish
"$CARGO_TARGET_DIR/release/bench_publish"

step "tail: memory following 2 shards at 1 MB/s each (release build)"
cargo build --release --locked -p sluice-cli -p sluice-e2e --bin sluice --bin bench_tail_memory
"$CARGO_TARGET_DIR/release/bench_tail_memory"

step "reports: one CSV from 500 MB of gzipped partitions vs aws s3 cp + zcat, and vs zcat alone (release build)"
cargo build --release --locked -p sluice-cli -p sluice-e2e --bin sluice --bin bench_reports
"$CARGO_TARGET_DIR/release/bench_reports"

if [ -z "${SLUICE_BENCH_SKIP_BROWSE:-}" ]; then
step "browse: preview and listing vs the AWS CLI (release build)"
cargo run --release --locked -p sluice-e2e --bin bench_browse
fi

step "build the UI and the release app (the same build make package bundles)"
(cd ui && npm run build --silent)
cargo build --workspace --release --locked
app="$CARGO_TARGET_DIR/release/sluice-app"
runs="${SLUICE_BENCH_RUNS:-5}"

step "window: read 100,000 records into the Streams table and scroll to the last row"
cargo build --release --locked -p sluice-e2e --bin bench_window_streams
SLUICE_APP_BINARY="$app" "$ROOT/scripts/with-desktop.sh" "$CARGO_TARGET_DIR/release/bench_window_streams"

step "start-up and footprint: window mapped, first painted page, PSS (app + WebKit processes)"
# Alternating runs with a fresh HOME each: Sluice as shipped (DMA-BUF renderer off), Sluice
# with SLUICE_GPU=1 (WebKitGTK's default DMA-BUF renderer), and the baseline: WebKitGTK's
# own MiniBrowser drawing a static page of the same shape, as installed and with the renderer
# Sluice chooses (the floor for any WebKitGTK app here). Each is timed cold (after 3 s
# idle) and warm (right after), with `MiniBrowser --help` as a launch probe for how much
# slower this machine starts any process after idling.
minibrowser="$(ls /usr/lib/*/webkit2gtk-4.1/MiniBrowser | head -1)"
"$ROOT/scripts/with-desktop.sh" .venv/bin/python scripts/bench_startup.py "$runs" \
  --launch-probe "$minibrowser --help" \
  "sluice=$app" \
  "sluice on the GPU path=$app|SLUICE_GPU=1" \
  "baseline MiniBrowser=$minibrowser file://$ROOT/scripts/bench/baseline.html" \
  "MiniBrowser, DMA-BUF off=$minibrowser file://$ROOT/scripts/bench/baseline.html|WEBKIT_DISABLE_DMABUF_RENDERER=1"
