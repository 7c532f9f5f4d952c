#!/usr/bin/env bash
# `make demo`: a local AWS emulator (moto on 127.0.0.1) seeded with a demo vendor world, and
# the app opened on it. Without a display it runs under Xvfb and saves a screenshot.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/setup.sh"
step "build the UI and the app"
(cd ui && npm run build --silent)
# The same invocation as `make test`, so a demo after the tests reuses their build.
cargo build --workspace --locked

port="${SLUICE_DEMO_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}"
endpoint="http://127.0.0.1:$port"
demo_dir="$ROOT/.demo"
mkdir -p "$demo_dir/config"
pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

step "moto on $endpoint"
.venv/bin/moto_server -H 127.0.0.1 -p "$port" >"$demo_dir/moto.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -sf "$endpoint/moto-api/" >/dev/null && break; sleep 0.1; done
.venv/bin/python scripts/seed_demo.py "$endpoint" "$demo_dir/handover.txt"
echo "The vendor's handover is in .demo/handover.txt: paste it into Connections → New connection."

export AWS_ENDPOINT_URL="$endpoint" AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing \
  AWS_REGION=us-east-1 SLUICE_CONFIG_DIR="$demo_dir/config" SLUICE_KEYRING_SERVICE=sluice-demo
app="$CARGO_TARGET_DIR/debug/sluice-app"

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  step "opening Sluice (close the window to stop the emulator)"
  "$app"
else
  step "no display: running Sluice under Xvfb"
  mkdir -p out
  shot="$ROOT/out/demo.png"
  "$ROOT/scripts/with-desktop.sh" bash -c '
    "$1" & app=$!
    sleep 4; import -window root "$2" && echo "screenshot: $2"
    if [ -n "${SLUICE_DEMO_SECONDS:-}" ]; then sleep "$SLUICE_DEMO_SECONDS"; kill $app; else wait $app; fi
  ' _ "$app" "$shot"
fi
