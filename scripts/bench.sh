#!/usr/bin/env bash
# Benchmarks that print figures: the rate limiter against the sandbox in one isolate
# (bench/rate-limit.mjs) and across four relay isolates in workerd (bench/relay-limit.mjs), CPU
# per relayed call in workerd and Node (bench/relay-cpu.mjs), and the size of what a browser
# downloads; then ticketwire beside zod, valibot and Ajv (scripts/bench-peers.sh), and memory
# over 10⁶ validate + prepare calls (bench/memory.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh >/dev/null
bash scripts/build-package.sh
ln -sfn ../pkg node_modules/ticketwire
cargo build --quiet -p ticketwire-sandbox
node bench/rate-limit.mjs
WRANGLER_SEND_METRICS=false node bench/relay-limit.mjs
WRANGLER_SEND_METRICS=false node bench/limiter-burst.mjs # 2,000 creates, 8 isolates, then a probe
WRANGLER_SEND_METRICS=false node bench/relay-cpu.mjs # CPU per call: a create, a small thread, a 16 MB one
bash scripts/bench-peers.sh
node --expose-gc bench/memory.mjs 1000000
bash scripts/differential.sh 100000 # SDK against sandbox: the counts per operation
