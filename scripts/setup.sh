#!/usr/bin/env bash
# Installs what Sluice's build, tests and demo need, skipping what is already there:
# Debian packages, a Python venv with moto (the local AWS emulator), cfn-lint and
# python-hcl2, a second venv with checkov (both check the exported infrastructure code), the
# UI's npm packages, and tauri-driver (WebDriver for the real app window).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

APT_PACKAGES=(build-essential pkg-config libwebkit2gtk-4.1-dev xvfb xauth webkit2gtk-driver
  dbus libdbus-1-dev gnome-keyring curl imagemagick xdotool)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  step "apt: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

REQ=scripts/requirements-test.txt
if [ ! -x .venv/bin/moto_server ] || ! cmp -s "$REQ" .venv/.requirements 2>/dev/null; then
  step "python venv with moto"
  python3 -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check -r "$REQ"
  cp "$REQ" .venv/.requirements
fi

# checkov pins its own versions of boto3 and ships its own `hcl2` module (a fork of
# python-hcl2): it gets a venv of its own so neither it nor the IaC suite's parser changes.
CHECKOV_REQ=scripts/requirements-checkov.txt
if [ ! -x .venv-checkov/bin/checkov ] || ! cmp -s "$CHECKOV_REQ" .venv-checkov/.requirements 2>/dev/null; then
  step "python venv with checkov"
  python3 -m venv .venv-checkov
  .venv-checkov/bin/pip install -q --disable-pip-version-check -r "$CHECKOV_REQ"
  cp "$CHECKOV_REQ" .venv-checkov/.requirements
fi

if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  step "npm ci"
  (cd ui && npm ci --no-audit --no-fund)
fi

KINESALITE=tests/kinesalite
if [ ! -d "$KINESALITE/node_modules" ] || [ "$KINESALITE/package-lock.json" -nt "$KINESALITE/node_modules/.package-lock.json" ]; then
  step "npm ci: kinesalite, the second Kinesis (in memory, without its optional LevelDB)"
  (cd "$KINESALITE" && npm ci --omit=optional --no-audit --no-fund)
fi

if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  step "cargo install tauri-driver"
  cargo install tauri-driver --locked --version 2.0.6
fi
