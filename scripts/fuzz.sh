#!/usr/bin/env bash
# Runs every cargo-fuzz target (fuzz/fuzz_targets/) for its share of SECONDS (default 60) on the
# nightly toolchain, and prints executions and crashes per target. The committed corpus
# (fuzz/corpus/<target>/) seeds each run and is only read: new finds go to target/fuzz-corpus/,
# crashes to fuzz/artifacts/<target>/. `cargo test` replays the committed corpus on stable.
#   bash scripts/fuzz.sh 600     # ten minutes in all
set -euo pipefail
cd "$(dirname "$0")/.."
total=${1:-60}
export PATH="$HOME/.cargo/bin:$PATH"

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --version 0.13.2 --locked

targets=()
for file in fuzz/fuzz_targets/*.rs; do targets+=("$(basename "$file" .rs)"); done
share=$(( total / ${#targets[@]} ))
[ "$share" -ge 1 ] || share=1
echo "fuzzing ${#targets[@]} targets for ${share} s each"
cargo +nightly fuzz build --release >/dev/null 2>&1 || cargo +nightly fuzz build --release

results=()
status=0
for target in "${targets[@]}"; do
  scratch="target/fuzz-corpus/$target"
  mkdir -p "$scratch"
  log="target/fuzz-corpus/$target.log"
  if cargo +nightly fuzz run --release "$target" "$scratch" "fuzz/corpus/$target" -- \
      -max_total_time="$share" -print_final_stats=1 -rss_limit_mb=2048 > "$log" 2>&1; then
    crashes=0
  else
    crashes=$(find "fuzz/artifacts/$target" -type f 2>/dev/null | wc -l)
    [ "$crashes" -gt 0 ] || crashes=1
    status=1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  results+=("$(printf '%-18s %14s %8s' "$target" "${runs:-?}" "$crashes")")
done

printf '\n%-18s %14s %8s\n' target executions crashes
printf '%s\n' "${results[@]}"
[ "$status" -eq 0 ] || echo "a target crashed: see target/fuzz-corpus/<target>.log and fuzz/artifacts/" >&2
exit "$status"
