#!/usr/bin/env bash
# Installs what a fresh machine (Rust toolchain, Node 20 and npm) lacks to build and test
# ticketwire: the wasm target, wasm-pack, wasm-bindgen-cli at exactly the pinned version,
# Chromium + ChromeDriver and Firefox ESR (Debian), Debian's rustc-web with its std source and
# wasm-ld (the page's build), geckodriver (crates.io), and the npm tools
# (binaryen's wasm-opt, TypeScript, wrangler and workerd, Vite, the browser drivers).
# Safe to run again: each step is skipped when already done. Source it to get its PATH.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

wasm_bindgen_version=$(sed -n 's/^wasm-bindgen = "=\(.*\)"$/\1/p' Cargo.toml)
export PATH="$HOME/.cargo/bin:$PATH"

rustup target add wasm32-unknown-unknown >/dev/null 2>&1
rustup component add clippy rustfmt >/dev/null 2>&1 || true
if ! command -v wasm-pack >/dev/null; then
  cargo install wasm-pack --locked
fi
# wasm-pack fetches a matching wasm-bindgen from GitHub unless the one on PATH matches exactly.
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wasm_bindgen_version" ]; then
  cargo install wasm-bindgen-cli --version "$wasm_bindgen_version" --force
fi
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || ! command -v firefox-esr >/dev/null; then
  apt-get update -qq && apt-get install -y -qq chromium chromium-driver firefox-esr >/dev/null
fi
# The page's wasm rebuilds std for size (scripts/build-package.sh): Debian's rustc-web and its
# cargo, the std source of that same release, and LLVM's wasm-ld (rustup's own rust-src and
# rust-lld cannot be fetched here). Cargo takes the std's few dependencies from crates.io.
web_toolchain=(rustc-web cargo-web rust-web-src lld-22)
if [ "$(dpkg-query -W -f='${Status}\n' "${web_toolchain[@]}" 2>/dev/null | grep -c 'install ok installed')" != "${#web_toolchain[@]}" ]; then
  apt-get update -qq && apt-get install -y -qq "${web_toolchain[@]}" >/dev/null
fi
# Firefox is driven through geckodriver, which crates.io has (Mozilla's own downloads are out of reach).
if ! command -v geckodriver >/dev/null; then
  cargo install geckodriver --version 0.37.1 --locked
fi
if [ ! -x node_modules/.bin/wasm-opt ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
export PATH="$PWD/node_modules/.bin:$PATH" # binaryen's wasm-opt, newer than Debian's
