#!/usr/bin/env bash
# The one test command: installs what a fresh machine lacks (scripts/setup.sh), then runs
# every suite: core and sandbox unit tests, cross-layer tests in Node and headless Chromium
# (against a sandbox it starts on a free port), and the Node tests of the built package,
# end to end over real HTTP included.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n==> %s\n' "$*"; }

step "toolchain"
source scripts/setup.sh

step "format and lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown --all-targets -- -D warnings

step "core and sandbox: cargo test"
cargo test --workspace

step "sandbox: start on a free port"
source scripts/sandbox.sh
start_sandbox
export TICKETWIRE_SANDBOX_URL="$SANDBOX_URL" # baked into the cross-layer tests' real call

step "cross-layer: wasm-pack test --node"
wasm-pack test --node

step "cross-layer: wasm-pack test --headless --chrome"
wasm-pack test --headless --chrome --chromedriver "$(command -v chromedriver)" --features browser-tests

step "package: build"
bash scripts/build-package.sh
ln -sfn ../pkg node_modules/ticketwire # the tests import "ticketwire" as users do

step "package: node --test (unit, browser entry, end to end against the sandbox)"
node --test tests/node/ tests/e2e/
