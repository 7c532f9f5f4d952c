#!/usr/bin/env bash
# `make fuzz`: coverage-guided fuzzing (cargo fuzz + libFuzzer, AddressSanitizer) of every
# parser of outside data, FUZZ_SECONDS each (default 60; FUZZ_TARGETS="a b" for some).
# Each target has its own input size (-max_len), memory (-rss_limit_mb) and single
# allocation (-malloc_limit_mb) budget; a crash, a timeout or an allocation over budget
# fails the run and leaves the input in fuzz/artifacts/<target>/. Seeds come from the
# tests' own inputs (tests/src/bin/fuzz_seeds.rs); what each run finds accumulates in
# ~/.cache/sluice/fuzz-corpus. The stable toolchain runs it with RUSTC_BOOTSTRAP=1.
# FUZZ_PROFILE=dev builds unoptimised (minutes instead of tens of minutes from cold): the
# smoke `make test` runs, which proves every target builds and runs.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

CARGO_FUZZ_VERSION=0.13.2
seconds="${FUZZ_SECONDS:-60}"
case "${FUZZ_PROFILE:-release}" in
  release) profile=(-O) ;;
  dev) profile=(--dev) ;;
  *) die "FUZZ_PROFILE is release or dev" ;;
esac
cache="$HOME/.cache/sluice"
tools="$cache/tools"

# target  max_len  rss_limit_mb  malloc_limit_mb
budgets="
handover          65536   1024  64
policy_lint       65536   1024  64
decode_chain      131072  2048  128
kpl               131072  1024  64
sniff             65536   1024  64
record_formats    131072  1024  64
inflate           131072  2048  128
s3_key_path       4096    512   16
partitions        4096    512   16
report_rows       131072  1024  64
dataminer_offload 131072  1024  64
pasted_records    131072  1024  64
aws_config        65536   1024  64
"
all=$(awk 'NF {print $1}' <<<"$budgets")
targets="${FUZZ_TARGETS:-$all}"

if ! "$tools/bin/cargo-fuzz" --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
  step "cargo install cargo-fuzz $CARGO_FUZZ_VERSION (once)"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked --root "$tools"
fi

step "seed corpora from the tests' inputs"
seeds="$(mktemp -d)"
trap 'rm -rf "$seeds"' EXIT
cargo run -q --locked -p sluice-e2e --bin fuzz_seeds -- "$seeds"

# libFuzzer needs the sanitizer flags only nightly rustc takes; stable takes them too when
# told it is bootstrapping.
rustc --version | grep -q nightly || export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="$cache/fuzz-target"
step "build the fuzz targets (${FUZZ_PROFILE:-release}, debug assertions, AddressSanitizer)"
(cd fuzz && "$tools/bin/cargo-fuzz" build "${profile[@]}")

failed=()
summary=()
for t in $targets; do
  read -r _ max_len rss malloc < <(awk -v t="$t" '$1 == t' <<<"$budgets")
  [ -n "${max_len:-}" ] || die "no such fuzz target: $t"
  # The dev smoke starts from the seeds alone: replaying a grown corpus unoptimised is slow.
  if [ "${FUZZ_PROFILE:-release}" = dev ]; then corpus="$seeds/$t-found"; else corpus="$cache/fuzz-corpus/$t"; fi
  mkdir -p "$corpus" "fuzz/artifacts/$t"
  step "fuzz $t for ${seconds}s (max_len $max_len, rss ${rss} MB, one allocation ≤ ${malloc} MB)"
  log="$(mktemp)"
  set +e
  (cd fuzz && "$tools/bin/cargo-fuzz" run "${profile[@]}" "$t" "$corpus" "$seeds/$t" -- \
    -max_total_time="$seconds" -max_len="$max_len" -rss_limit_mb="$rss" \
    -malloc_limit_mb="$malloc" -timeout=10 -print_final_stats=1 \
    -artifact_prefix="artifacts/$t/") >"$log" 2>&1
  code=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | awk '{print $2}' | tail -1)
  cov=$(grep -oE '(DONE|pulse|NEW|REDUCE) +cov: [0-9]+ ft: [0-9]+' "$log" | tail -1 | awk '{print $3, $5}')
  summary+=("$(printf '%-18s %4ss  %10s execs  cov %-6s ft %-6s  %s' "$t" "$seconds" "${execs:-?}" \
    "${cov%% *}" "${cov##* }" "$([ $code -eq 0 ] && echo ok || echo FAILED)")")
  if [ $code -ne 0 ]; then
    failed+=("$t")
    grep -E 'ERROR|panicked|SUMMARY|Test unit written|out-of-memory|malloc\(' "$log" | head -20 || true
  fi
  rm -f "$log"
done

step "fuzz summary"
printf '%s\n' "${summary[@]}"
[ ${#failed[@]} -eq 0 ] || die "fuzz targets failed: ${failed[*]} (inputs in fuzz/artifacts/)"
