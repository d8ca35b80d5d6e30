#!/usr/bin/env bash
# The main job: builds the package, starts the local sandbox of all three APIs on a free port,
# runs the Node quickstart against it, and stops the sandbox.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh >/dev/null
if [ ! -f pkg/edge/ticketwire_bg.wasm ] || [ -n "$(find src js Cargo.toml -newer pkg/edge/ticketwire_bg.wasm -print -quit)" ]; then
  bash scripts/build-package.sh
fi
ln -sfn ../pkg node_modules/ticketwire
source scripts/sandbox.sh
start_sandbox
printf '%s\n\n' "$SANDBOX_BANNER"
node examples/node/quickstart.mjs
