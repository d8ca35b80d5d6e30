#!/usr/bin/env bash
# Benchmarks that print figures: the rate limiter against the sandbox (bench/rate-limit.mjs)
# and the size of what a browser downloads.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh >/dev/null
bash scripts/build-package.sh
ln -sfn ../pkg node_modules/ticketwire
cargo build --quiet -p ticketwire-sandbox
node bench/rate-limit.mjs
