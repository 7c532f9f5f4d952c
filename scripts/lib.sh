# Shared helpers for Sluice's scripts: paths, logging, and the cargo target dir.
# Sourced, not run.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
# Reuse a build cache outside the clone when there is one; never depend on it.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/sluice/target}"
# Scripted builds start from a clone: incremental caches only pile up in the shared target
# dir (tens of GB over a few runs), they never speed up the next fresh clone.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
# Never let the AWS SDK probe the instance metadata service from here.
export AWS_EC2_METADATA_DISABLED=true
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

step() { printf '\n== %s (%s)\n' "$*" "$(date +%H:%M:%S)"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
