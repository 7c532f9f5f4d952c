#!/usr/bin/env bash
# `make package`: Sluice as a .deb and an .rpm, made by the Tauri bundler (tauri-cli from
# crates.io, installed once into ~/.cache/sluice/tools). Each package holds the app, the
# `sluice` command line beside it (credential_process profiles point at it), a desktop
# entry, the icons and the WebKitGTK runtime dependencies.
#
#   scripts/package.sh            release build (what `make package` ships)
#   scripts/package.sh --debug    the test build `make test` already made (for the package test)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

TAURI_CLI_VERSION=2.12.4
tools="$HOME/.cache/sluice/tools"
profile=release
flags=()
if [ "${1:-}" = "--debug" ]; then
  profile=debug
  flags=(--debug)
fi

if ! "$tools/bin/cargo-tauri" --version 2>/dev/null | grep -qx "tauri-cli $TAURI_CLI_VERSION"; then
  step "cargo install tauri-cli $TAURI_CLI_VERSION (once)"
  cargo install tauri-cli --version "$TAURI_CLI_VERSION" --locked --root "$tools" \
    --no-default-features --features rustls
fi

if [ "$profile" = release ]; then
  "$ROOT/scripts/setup.sh"
  step "build the UI and the release app"
  (cd ui && npm run build --silent)
  cargo build --workspace --release --locked
fi
cli="$CARGO_TARGET_DIR/$profile/sluice"
[ -x "$cli" ] || die "$cli is missing: build the workspace first (make test does)"

step "bundle .deb and .rpm ($profile)"
bundle="$CARGO_TARGET_DIR/$profile/bundle"
rm -rf "$bundle/deb" "$bundle/rpm"
# The CLI's path is only known here (the target dir lives outside the clone).
extra=$(python3 -c 'import json,sys; f={"/usr/bin/sluice": sys.argv[1]}; print(json.dumps({"bundle":{"linux":{"deb":{"files":f},"rpm":{"files":f}}}}))' "$cli")
(cd src-tauri && "$tools/bin/cargo-tauri" bundle "${flags[@]}" --bundles deb,rpm \
  --no-binary-patching --config "$extra")
ls -1 "$bundle"/deb/*.deb "$bundle"/rpm/*.rpm
