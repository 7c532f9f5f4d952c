#!/usr/bin/env bash
# Refreshes the README pictures (docs/*.png): the real app window under Xvfb, after the
# window tests have verified a pasted handover, previewed a partition file, generated a
# policy, set up a destination (and shown it as code), read a stream and built a report against the local emulator.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh"
(cd ui && npm run build --silent)
cargo build --workspace --locked
mkdir -p docs
SLUICE_SCREENSHOT_CONNECTIONS="$ROOT/docs/screenshot.png" "$ROOT/scripts/with-desktop.sh" \
  cargo test --workspace --locked --test window_connections
SLUICE_SCREENSHOT_BROWSE="$ROOT/docs/browse.png" "$ROOT/scripts/with-desktop.sh" \
  cargo test --workspace --locked --test window_browse
SLUICE_SCREENSHOT_POLICIES="$ROOT/docs/policies.png" "$ROOT/scripts/with-desktop.sh" \
  cargo test --workspace --locked --test window_policies
SLUICE_SCREENSHOT_SETUP="$ROOT/docs/setup.png" SLUICE_SCREENSHOT_CODE="$ROOT/docs/code.png" "$ROOT/scripts/with-desktop.sh" \
  cargo test --workspace --locked --test window_setup
SLUICE_SCREENSHOT_STREAMS="$ROOT/docs/streams.png" "$ROOT/scripts/with-desktop.sh" \
  cargo test --workspace --locked --test window_streams
SLUICE_SCREENSHOT_REPORTS="$ROOT/docs/reports.png" "$ROOT/scripts/with-desktop.sh" \
  cargo test --workspace --locked --test window_reports
for shot in screenshot browse policies setup code streams reports; do
  /usr/bin/convert "$ROOT/docs/$shot.png" -crop 1200x780+0+0 +repage "$ROOT/docs/$shot.png"
done
echo "wrote docs/screenshot.png, browse.png, policies.png, setup.png, code.png, streams.png and reports.png"
