#!/usr/bin/env bash
# ticketwire beside zod, valibot and Ajv on the Mava create-ticket cases of ../shared/bench/peers:
# correctness (check), throughput (one Node process, medians; the means, then per case) and size +
# cold start, then one summary (bench/summary.mjs). The harness
# is copied to target/bench-peers (shared/ is read-only) and installed there with npm ci.
set -euo pipefail
cd "$(dirname "$0")/.."
peers=../shared/bench/peers
[ -d "$peers" ] || { echo "no $peers: the peer harness lives in the steering repo's shared/" >&2; exit 1; }
rm -rf target/bench-peers && mkdir -p target && cp -r "$peers" target/bench-peers
(cd target/bench-peers && npm ci --no-audit --no-fund --loglevel=error)
ln -sfn ../../node_modules/ticketwire target/bench-peers/node_modules/ticketwire
adapter="$PWD/bench/peers-adapter.mjs"
# The wasm floor (bench/wasm-floor): JSON.stringify and the copy into wasm, nothing validated.
(cd bench/wasm-floor && cargo build --quiet --release --target wasm32-unknown-unknown --target-dir ../../target/wasm-floor)
wasm-bindgen --target web --out-dir target/wasm-floor/pkg target/wasm-floor/wasm32-unknown-unknown/release/wasm_floor.wasm
floor="$PWD/bench/floor-adapter.mjs"
cd target/bench-peers
node check.mjs --extra "$adapter"
node --expose-gc throughput.mjs --extra "$adapter" --extra "$floor" \
  --only zod,valibot,ajv-standalone,baseline,ticketwire,'wasm floor' --json throughput.json
# Per case, shorter (so noisier): the 7 KB "full" case weighs most in the means above.
node --expose-gc throughput.mjs --extra "$adapter" --extra "$floor" --per-case yes --time 0.3 --repeats 3 --warmup 0.2 \
  --only zod,valibot,ajv-standalone,ticketwire,'wasm floor' --json per-case.json > /dev/null
node size.mjs --extra "$adapter" --asset "$PWD/../../pkg/web/ticketwire_bg.wasm" --only zod,valibot,ajv-standalone,ticketwire
# The widget page as a site builds it (www/dist/assets), for the page's bytes in all.
(cd ../.. && node www/build.mjs > /dev/null)
# The one table: timings (means and per case), the page's bytes by part, cold start, and the
# targets of issue 24 against the peers and floors of the same run.
cp ../../bench/summary.mjs . && node summary.mjs throughput.json per-case.json ../../pkg ../../www/dist/assets
