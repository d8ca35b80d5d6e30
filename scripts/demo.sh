#!/usr/bin/env bash
# The demo: builds the package and the widget page, then starts the sandbox, the relay Worker in
# workerd and the page, prints the URL and serves until Ctrl-C (www/demo.mjs). With --check it
# runs the browser scenario in Chromium and Firefox instead, and exits with its verdict.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh >/dev/null
bash scripts/build-package.sh >/dev/null
ln -sfn ../pkg node_modules/ticketwire
cargo build --quiet -p ticketwire-sandbox
node www/build.mjs
export WRANGLER_SEND_METRICS=false
exec node www/demo.mjs "$@"
