#!/usr/bin/env bash
# `make package`: Sluice's installable packages, made by the Tauri bundler (tauri-cli from
# crates.io, installed once into ~/.cache/sluice/tools) for the platform it runs on:
#   Linux   .deb and .rpm (the WebKitGTK runtime dependencies declared)
#   macOS   .app and .dmg (signed and notarized when the APPLE_* variables are set)
#   Windows .msi (WiX) and the NSIS setup .exe (WebView2 installed when missing; signed when
#           WINDOWS_CERTIFICATE_THUMBPRINT is set)
# Each holds the app and the `sluice` command line inside it as a Tauri sidecar
# (src-tauri/tauri.bundle.json), beside the app's own binary, where the credential_process
# profiles Sluice writes point.
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
  if [ "$(uname -s)" = Linux ]; then
    "$ROOT/scripts/setup.sh"
  else
    (cd ui && npm ci --silent)
  fi
  step "build the UI and the release app"
  (cd ui && npm run build --silent)
  cargo build --workspace --release --locked
fi
triple=$(rustc -vV | sed -n 's/^host: //p')
case "$triple" in
  *-apple-darwin) bundles=app,dmg dirs="macos dmg" exe= ;;
  *-windows-*) bundles=msi,nsis dirs="msi nsis" exe=.exe ;;
  *) bundles=deb,rpm dirs="deb rpm" exe= ;;
esac
cli="$CARGO_TARGET_DIR/$profile/sluice$exe"
[ -x "$cli" ] || die "$cli is missing: build the workspace first (make test does)"

# The sidecar: the CLI under the name the bundler looks for (binaries/sluice-<target triple>).
mkdir -p src-tauri/binaries
cp "$cli" "src-tauri/binaries/sluice-$triple$exe"

# Signing comes from the environment; without it the package is made unsigned, said plainly.
# A CI secret that is not set arrives as an empty variable, which the bundler would take
# for a real (empty) identity or certificate: such variables are unset.
for v in APPLE_CERTIFICATE APPLE_CERTIFICATE_PASSWORD APPLE_SIGNING_IDENTITY APPLE_ID \
  APPLE_PASSWORD APPLE_TEAM_ID APPLE_API_KEY APPLE_API_ISSUER WINDOWS_CERTIFICATE_THUMBPRINT; do
  [ -n "${!v:-}" ] || unset "$v"
done
configs=(--config tauri.bundle.json)
case "$triple" in
  *-apple-darwin)
    if [ -n "${APPLE_SIGNING_IDENTITY:-}" ]; then
      echo "signing with $APPLE_SIGNING_IDENTITY"
      [ -n "${APPLE_ID:-}${APPLE_API_KEY:-}" ] || echo "notarization skipped: set APPLE_ID, APPLE_PASSWORD and APPLE_TEAM_ID (or APPLE_API_KEY, APPLE_API_ISSUER)"
    else
      echo "signing skipped: APPLE_SIGNING_IDENTITY is not set (and APPLE_CERTIFICATE for a CI keychain)"
    fi ;;
  *-windows-*)
    if [ -n "${WINDOWS_CERTIFICATE_THUMBPRINT:-}" ]; then
      echo "signing with certificate $WINDOWS_CERTIFICATE_THUMBPRINT"
      configs+=(--config "{\"bundle\":{\"windows\":{\"certificateThumbprint\":\"$WINDOWS_CERTIFICATE_THUMBPRINT\"}}}")
    else
      echo "signing skipped: WINDOWS_CERTIFICATE_THUMBPRINT is not set"
    fi ;;
esac

step "bundle $bundles ($profile, $triple)"
bundle="$CARGO_TARGET_DIR/$profile/bundle"
for dir in $dirs; do rm -rf "${bundle:?}/$dir"; done
# (${flags[@]+…}: macOS's bash 3.2 calls an empty array unbound under set -u.)
(cd src-tauri && "$tools/bin/cargo-tauri" bundle ${flags[@]+"${flags[@]}"} --bundles "$bundles" \
  --no-binary-patching "${configs[@]}")
for dir in $dirs; do ls -1d "$bundle/$dir"/*; done
