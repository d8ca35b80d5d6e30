#!/usr/bin/env bash
# Benchmarks that print figures: the rate limiter against the sandbox in one isolate
# (bench/rate-limit.mjs) and across four relay isolates in workerd (bench/relay-limit.mjs), CPU
# per relayed call in workerd and Node (bench/relay-cpu.mjs), 1,000 visitors waiting on 1,000
# tickets' conversations in workerd, on sockets and on long polls (bench/conversations.mjs), and
# the size of what a browser downloads; then ticketwire beside zod, valibot and Ajv
# (scripts/bench-peers.sh), and memory over 10⁶ validate + prepare calls (bench/memory.mjs).
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
# 1,000 sockets (or held polls) are about 2,000 descriptors here and in workerd, which dies at its limit.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
WRANGLER_SEND_METRICS=false node bench/conversations.mjs 1000 100 sockets # issue 22: replies at 100/s, then a burst
WRANGLER_SEND_METRICS=false node bench/conversations.mjs 1000 100 polls # the same visitors on long polls
bash scripts/bench-peers.sh
node --expose-gc bench/memory.mjs 1000000
bash scripts/differential.sh 100000 # SDK against sandbox: the counts per operation
