#!/usr/bin/env bash
# Refreshes docs/screenshot.png: the real app window under Xvfb, after the window test has
# pasted a handover, saved the connection and verified it against the local emulator.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh"
(cd ui && npm run build --silent)
cargo build --workspace --locked
mkdir -p docs
SLUICE_SCREENSHOT_CONNECTIONS="$ROOT/docs/screenshot.png" "$ROOT/scripts/with-desktop.sh" \
  cargo test --workspace --locked --test window_connections
/usr/bin/convert "$ROOT/docs/screenshot.png" -crop 1200x780+0+0 +repage "$ROOT/docs/screenshot.png"
echo "wrote docs/screenshot.png"
