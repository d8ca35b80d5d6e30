#!/usr/bin/env bash
# The one test command: installs what a fresh machine lacks (scripts/setup.sh), then runs
# every suite: core and sandbox unit tests (with the property tests and the fuzz corpus),
# cross-layer tests in Node, headless Chromium and headless Firefox (against a sandbox it starts
# on a free port), the Node tests of the built package, end to end over real HTTP included, its
# TypeDoc reference, the package and the relay Worker inside workerd (with a Chromium page calling
# the relay), and a short fuzzing round where a nightly toolchain is present. Prints what each
# suite cost.
set -euo pipefail
cd "$(dirname "$0")/.."
timings=()
current=""
finish_step() {
  if [ -n "$current" ]; then timings+=("$(printf '%6s s  %s' $((SECONDS - step_started)) "$current")"); fi
}
step() {
  finish_step
  current="$*"
  step_started=$SECONDS
  printf '\n==> %s\n' "$*"
}

step "toolchain"
source scripts/setup.sh

step "format and lints"
cargo fmt --all --check
node scripts/module-cycles.mjs # no import cycle, no import from a lower module to a higher one
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown --all-targets --features edge -- -D warnings
cargo clippy --target wasm32-unknown-unknown --lib --no-default-features -- -D warnings # ticketwire/lite's build

step "core and sandbox: cargo test (unit, properties, fuzz corpus replay)"
cargo test --workspace

step "sandbox: start on a free port"
source scripts/sandbox.sh
start_sandbox
export TICKETWIRE_SANDBOX_URL="$SANDBOX_URL" # baked into the cross-layer tests' real call

step "cross-layer: wasm-pack test --node"
wasm-pack test --node

step "cross-layer: wasm-pack test --headless --chrome"
wasm-pack test --headless --chrome --chromedriver "$(command -v chromedriver)" --features browser-tests

step "cross-layer: wasm-pack test --headless --firefox"
wasm-pack test --headless --firefox --geckodriver "$(command -v geckodriver)" --features browser-tests

step "package: build"
bash scripts/build-package.sh
ln -sfn ../pkg node_modules/ticketwire # the tests import "ticketwire" as users do

step "package: TypeDoc reference of the types, no warning (typedoc.json, into target/typedoc/)"
typedoc

step "package: node --test (unit, properties, browser entry, end to end against the sandbox)"
node --test tests/node/ tests/e2e/

step "workerd: the package and the relay Worker in the Workers runtime (node --test tests/workerd)"
WRANGLER_SEND_METRICS=false node --test --test-concurrency=1 tests/workerd/

step "widget: Vite build, then the scenario in Chromium and Firefox (node --test tests/www)"
node www/build.mjs
WRANGLER_SEND_METRICS=false node --test tests/www/

step "ecosystem: every host, bundler, test runner and type checker, from the packed tarball (scripts/ecosystem.sh)"
# Its own sandbox (SANDBOX_URL emptied): the suites above leave theirs with faults and limits changed.
SANDBOX_URL= TICKETWIRE_PKG_BUILT=1 bash scripts/ecosystem.sh

if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  step "fuzz: every target, 60 s in all (scripts/fuzz.sh)"
  bash scripts/fuzz.sh 60
else
  echo "(no nightly toolchain here: the fuzz targets ran only as the corpus replay in cargo test)"
fi

finish_step
printf '\nwhat each suite cost (s = wall-clock seconds, %s s in all):\n' "$SECONDS"
printf '%s\n' "${timings[@]}"
