#!/usr/bin/env bash
# Runs a command inside a private desktop session: an Xvfb display, a D-Bus session bus and
# an unlocked gnome-keyring (the real Secret Service). Everything started here, and every
# process the tests registered in $SLUICE_PID_DIR, is stopped when the command ends,
# whether it passed or not.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

work="$(mktemp -d /tmp/sluice-desktop.XXXXXX)"
pids=()
export SLUICE_PID_DIR="$work/pids"
mkdir -p "$SLUICE_PID_DIR"

cleanup() {
  for f in "$SLUICE_PID_DIR"/*.pid; do
    [ -e "$f" ] && kill -TERM "$(cat "$f")" 2>/dev/null || true
  done
  for ((i=${#pids[@]}-1; i>=0; i--)); do kill -TERM "${pids[$i]}" 2>/dev/null || true; done
  sleep 0.5
  for f in "$SLUICE_PID_DIR"/*.pid; do
    [ -e "$f" ] && kill -KILL "$(cat "$f")" 2>/dev/null || true
  done
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# X display: the first free number from 90 up.
d=90
while [ -e "/tmp/.X11-unix/X$d" ] || [ -e "/tmp/.X$d-lock" ]; do d=$((d+1)); done
Xvfb ":$d" -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
pids+=($!)
export DISPLAY=":$d"
for _ in $(seq 1 100); do [ -e "/tmp/.X11-unix/X$d" ] && break; sleep 0.05; done
[ -e "/tmp/.X11-unix/X$d" ] || die "Xvfb did not start (see $work/xvfb.log)"

# A private session bus and a fresh keyring, unlocked with a throwaway password.
export XDG_DATA_HOME="$work/data" XDG_RUNTIME_DIR="$work/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
eval "$(dbus-daemon --session --fork --print-address=1 --print-pid=1 | {
  read -r addr; read -r pid; echo "export DBUS_SESSION_BUS_ADDRESS='$addr'; dbus_pid=$pid"; })"
pids+=("$dbus_pid")
printf '%s' "sluice-test-keyring" | gnome-keyring-daemon --foreground --unlock \
  --components=secrets >"$work/keyring.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  dbus-send --session --dest=org.freedesktop.DBus --type=method_call --print-reply \
    /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null \
    | grep -q 'boolean true' && break
  sleep 0.1
done

"$@"
