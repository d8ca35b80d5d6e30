#!/usr/bin/env bash
# The main job, for now: builds the package if needed and runs the Node quickstart, which
# validates and prepares every documented Mava example and prints the exact requests.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh >/dev/null
if [ ! -f pkg/node/ticketwire_bg.wasm ] || [ -n "$(find src js Cargo.toml -newer pkg/node/ticketwire_bg.wasm -print -quit)" ]; then
  bash scripts/build-package.sh
fi
ln -sfn ../pkg node_modules/ticketwire
node examples/node/quickstart.mjs
