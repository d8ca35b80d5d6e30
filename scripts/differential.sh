#!/usr/bin/env bash
# The long differential run: the SDK against the sandbox over generated inputs for every
# operation (sandbox/tests/differential.rs; `cargo test` runs a short one). Arguments: inputs
# per operation (default 100000) and a seed (default random; printed, to replay a failure).
set -euo pipefail
cd "$(dirname "$0")/.."
cases=${1:-100000}
seed=${2:-$(( (RANDOM << 30) | (RANDOM << 15) | RANDOM ))}
TICKETWIRE_DIFFERENTIAL_CASES="$cases" TICKETWIRE_DIFFERENTIAL_SEED="$seed" \
  cargo test --quiet -p ticketwire-sandbox --test differential -- --nocapture
