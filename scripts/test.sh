#!/usr/bin/env bash
# The one test command: installs what a fresh machine lacks (scripts/setup.sh), then runs
# every suite: core unit tests, cross-layer tests in Node and headless Chromium, and the
# Node tests of the built package.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n==> %s\n' "$*"; }

step "toolchain"
source scripts/setup.sh

step "format and lints"
cargo fmt --check
cargo clippy --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown --all-targets -- -D warnings

step "core: cargo test"
cargo test

step "cross-layer: wasm-pack test --node"
wasm-pack test --node

step "cross-layer: wasm-pack test --headless --chrome"
wasm-pack test --headless --chrome --chromedriver "$(command -v chromedriver)" --features browser-tests

step "package: build"
bash scripts/build-package.sh
ln -sfn ../pkg node_modules/ticketwire # the tests import "ticketwire" as users do

step "package: node --test"
node --test tests/node/
