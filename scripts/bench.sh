#!/usr/bin/env bash
# `make bench`: measurements, never pass/fail. Policies: the linter beside Parliament over the
# same policies (scripts/lint_compare.py). Streams: decode-chain throughput on a mixed
# million-record corpus, and `sluice stream read` of 10,000 records beside an AWS CLI loop
# (tests/src/bin/bench_streams.rs). Browse: streaming preview vs the AWS CLI and
# listing 100k keys (tests/src/bin/bench_browse.rs, one moto server, baseline in the same run).
# Reports: one CSV out of ≥ 500 MB of gzipped hourly partitions beside `aws s3 cp --recursive`
# + zcat and beside zcat alone, with peak PSS at two range sizes (tests/src/bin/bench_reports.rs).
# Publish: 100,000 DataMiner rows converted and put into moto beside `aws kinesis put-records`
# over 500-record batch files, and conversion alone (tests/src/bin/bench_publish.rs).
# App: the release app's cold start
# (process start → main window page loaded, under Xvfb) and its idle memory (RSS of the app
# plus its WebKit helper processes), over several launches, next to a baseline launch of
# WebKitWebDriver itself (the same WebKitGTK stack without Sluice).
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

step "publish: 100,000 DataMiner rows into Kinesis vs aws kinesis put-records (release build)"
cargo build --release --locked -p sluice-cli -p sluice-e2e --bin sluice --bin bench_publish
"$CARGO_TARGET_DIR/release/bench_publish"

step "reports: one CSV from 500 MB of gzipped partitions vs aws s3 cp + zcat, and vs zcat alone (release build)"
cargo build --release --locked -p sluice-cli -p sluice-e2e --bin sluice --bin bench_reports
"$CARGO_TARGET_DIR/release/bench_reports"

if [ -z "${SLUICE_BENCH_SKIP_BROWSE:-}" ]; then
step "browse: preview and listing vs the AWS CLI (release build)"
cargo run --release --locked -p sluice-e2e --bin bench_browse
fi

step "build the UI and the release app"
(cd ui && npm run build --silent)
cargo build -p sluice-app --release --locked
app="$CARGO_TARGET_DIR/release/sluice-app"
runs="${SLUICE_BENCH_RUNS:-5}"

step "window: read 100,000 records into the Streams table and scroll to the last row"
cargo build --release --locked -p sluice-e2e --bin bench_window_streams
SLUICE_APP_BINARY="$app" "$ROOT/scripts/with-desktop.sh" "$CARGO_TARGET_DIR/release/bench_window_streams"

"$ROOT/scripts/with-desktop.sh" bash -s "$app" "$runs" <<'INNER'
set -euo pipefail
app="$1"; runs="$2"
cfg="$(mktemp -d)"
descendants() { # a process and all its descendants, each once
  local queue=("$1") out=() p
  while [ ${#queue[@]} -gt 0 ]; do
    p=${queue[0]}; queue=("${queue[@]:1}"); out+=("$p")
    for c in $(pgrep -P "$p" || true); do queue+=("$c"); done
  done
  echo "${out[@]}"
}
rss_of() { awk '/VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
rss_tree() { # RSS in KiB of a process and all its descendants
  local total=0 p
  for p in $(descendants "$1"); do total=$((total + $(rss_of "$p"))); done
  echo "$total"
}
starts=(); rsss=()
for i in $(seq 1 "$runs"); do
  log="$cfg/run$i.log"
  t0=$(date +%s%N)
  SLUICE_CONFIG_DIR="$cfg" SLUICE_LOG=sluice_app_lib=info "$app" >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do grep -q 'page loaded' "$log" && break; sleep 0.01; done
  t1=$(date +%s%N)
  grep -q 'page loaded' "$log" || { echo "run $i: no page load within 3 s"; cat "$log"; kill $pid; exit 1; }
  sleep 3
  rss=$(rss_tree $pid)
  own=$(rss_of $pid)
  kill -TERM $pid; wait $pid 2>/dev/null || true
  starts+=($(( (t1 - t0) / 1000000 ))); rsss+=($(( rss / 1024 )))
  echo "run $i: cold start $(( (t1 - t0) / 1000000 )) ms, idle RSS $(( rss / 1024 )) MiB for the app and its WebKit processes ($(( own / 1024 )) MiB the app process itself)"
done
sorted() { printf '%s\n' "$@" | sort -n; }
median() { sorted "$@" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "Sluice release: cold start median $(median "${starts[@]}") ms (min $(sorted "${starts[@]}" | head -1) ms), idle RSS median $(median "${rsss[@]}") MiB over $runs runs"

# Baseline: WebKitWebDriver start to listening, the same WebKitGTK install without Sluice.
port=$((20000 + RANDOM % 10000))
t0=$(date +%s%N)
/usr/bin/WebKitWebDriver --port=$port >/dev/null 2>&1 &
wpid=$!
for _ in $(seq 1 300); do (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.01; done
t1=$(date +%s%N)
echo "baseline: WebKitWebDriver ready in $(( (t1 - t0) / 1000000 )) ms, RSS $(( $(rss_tree $wpid) / 1024 )) MiB"
kill $wpid 2>/dev/null || true
rm -rf "$cfg"
INNER
