#!/usr/bin/env bash
# Builds the npm package into pkg/: the release wasm (size-optimised, wasm-opt -Oz) for browser
# pages without the edge's exports (pkg/web), and with them (the "edge" feature, built for speed)
# once, with two glues: an ES module for workerd, Next's Edge runtime and other workers (pkg/edge), and
# CommonJS for Node, Deno and Bun (pkg/node, which carries no .wasm: node.cjs hands it the edge
# build's bytes, inlined as base64); plus the entries in js/. Prints the sizes a browser downloads.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH" # binaryen's wasm-opt, newer than Debian's

rm -rf pkg
features=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue)
build() { # target, out dir, profile (page: for size; server: for speed), cargo arguments
  if [ "$3" = page ]; then
    # std rebuilt for size, its panics trapping at once (no formatting, no unwinding tables):
    # Debian's rustc-web with its std source and LLVM's wasm-ld (scripts/setup.sh installs them;
    # RUSTC_BOOTSTRAP lets this stable compiler take -Z flags), then what wasm-pack would run.
    RUSTC_BOOTSTRAP=1 RUSTC=/usr/bin/rustc RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Csymbol-mangling-version=legacy" \
      CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld-22 /usr/bin/cargo build --quiet --release --lib \
      --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort --target-dir target/page "${@:4}"
    wasm-bindgen --target "$1" --out-dir "$2" --out-name ticketwire target/page/wasm32-unknown-unknown/release/ticketwire.wasm
    wasm-opt -Oz "${features[@]}" "$2/ticketwire_bg.wasm" -o "$2/ticketwire_bg.wasm"
  else # wasm-pack reads no wasm-opt arguments for a custom profile
    wasm-pack --quiet build --profile "$3" --no-opt --target "$1" --out-dir "$2" --out-name ticketwire --no-pack -- "${@:4}"
    wasm-opt -O3 "${features[@]}" "$2/ticketwire_bg.wasm" -o "$2/ticketwire_bg.wasm"
  fi
  rm -f "$2/.gitignore"
  # `free()` stays (FinalizationRegistry, `[Symbol.dispose]` call it) but leaves the types: `using` disposes.
  sed -i '/^    free(): void;$/d' "$2/ticketwire.d.ts"
  # wasm-bindgen declares `[Symbol.dispose]` with no doc comment: the reference (TypeDoc) wants one.
  sed -i 's|^    \[Symbol\.dispose\](): void;$|    /** Frees its WebAssembly memory now (what `using` does at the end of the block): every later call fails with a `config` error, and disposing again does nothing. */\n&|' "$2/ticketwire.d.ts"
}
# The page's build is for size (opt-level "z", std rebuilt, wasm-opt -Oz); the edge's and
# Node's, which no page downloads, for speed (the "server" profile: opt-level 3, wasm-opt -O3).
build web pkg/web page
# `ticketwire/lite`, for pages that call through a relay: the same page build without the "full"
# feature (only what a relay may serve a visitor; no key, so no redaction and no per-key limiter).
build web pkg/lite page --no-default-features
build web pkg/edge server --features edge
build nodejs pkg/node server --features edge
# What a page downloads carries no comments or blank space (7.3 -> 5.3 KB gzip); names are kept.
for page in web lite; do
  esbuild pkg/$page/ticketwire.js --minify-whitespace --minify-syntax --legal-comments=none --format=esm \
    --log-level=warning --allow-overwrite --outfile=pkg/$page/ticketwire.js
done
# lite.d.ts takes the lite build's classes from its glue's types: without the init functions,
# typed with DOM-only names (RequestInfo, WebAssembly), which lite.mjs calls itself.
sed -i '/^export type InitInput/,$d' pkg/lite/ticketwire.d.ts
# The relay's options (in every build's types, from one table) name the conversation store,
# which only the edge build declares: the lite types take it from the main entry's.
sed -i "1i import type { TicketwireConversationStore } from '../index.js';" pkg/lite/ticketwire.d.ts
# One edge wasm for both glues (they are the same binary); the Node glue instantiates on demand.
cmp pkg/edge/ticketwire_bg.wasm pkg/node/ticketwire_bg.wasm
rm pkg/node/ticketwire_bg.wasm pkg/node/ticketwire_bg.wasm.d.ts
node scripts/lazy-node-glue.mjs pkg/node/ticketwire.js
# Each half declares its own module system, whatever the package root says.
echo '{ "type": "module" }' | tee pkg/web/package.json pkg/lite/package.json > pkg/edge/package.json
# pkg/node/ is also what `ticketwire/node` names to a resolver that reads no exports map (node10).
echo '{ "type": "commonjs", "main": "../node-handler.cjs", "types": "../node-handler.d.cts" }' > pkg/node/package.json

cp js/package.json js/browser.mjs js/workerd.mjs js/edge-light.mjs js/worker.mjs js/node.mjs js/node.cjs js/index.d.ts js/README.md pkg/
# install.mjs is in every page too (its comments were half its bytes): the same minifying, names
# kept. Node's install.cjs is made from the source below, comments and all.
esbuild js/install.mjs --minify-whitespace --minify-syntax --legal-comments=none --format=esm \
  --log-level=warning --allow-overwrite --outfile=pkg/install.mjs
# node.cjs reads the edge wasm beside it only if it has the size this build gave it.
sed -i "s/^const EDGE_WASM_BYTES = 0;$/const EDGE_WASM_BYTES = $(stat -c %s pkg/edge/ticketwire_bg.wasm);/" pkg/node.cjs
grep -q "^const EDGE_WASM_BYTES = [1-9]" pkg/node.cjs
# The CommonJS twins of install.mjs and of the types, from their one source.
sed -e 's/^export class /class /; s/^export function /function /; s/^export const /const /' js/install.mjs > pkg/install.cjs
printf "\nmodule.exports = { TicketwireError, install, violationsReader, base64Bytes };\n" >> pkg/install.cjs
sed -e "s#'./edge/ticketwire.js'#'./node/ticketwire.js'#g" js/index.d.ts > pkg/index.d.cts
# The entries for Jest's jsdom (browser.cjs) and for bundlers that emit no .wasm (inline.mjs,
# which imports the wasm as a base64 string; inline.d.ts for node10 types), and the loader
# both browser entries share (web-init.mjs).
cp js/browser.cjs js/inline.mjs js/inline.d.ts js/web-init.mjs pkg/
# `ticketwire/lite` (the visitor's surface, its own wasm) and its types.
cp js/lite.mjs js/lite.d.ts pkg/
# `ticketwire/slim` (no wasm inside: the host's initSync(module)), its types, and their CommonJS twin.
cp js/slim.cjs js/slim.mjs js/slim.d.ts pkg/
sed -e "s#'./index.js'#'./index.cjs'#" js/slim.d.ts > pkg/slim.d.cts
# `ticketwire/node` (toNodeHandler), and its CommonJS types naming the CommonJS index's.
cp js/node-handler.cjs js/node-handler.mjs js/node-handler.d.ts pkg/
sed -e "s#'./index.js'#'./index.cjs'#" js/node-handler.d.ts > pkg/node-handler.d.cts
node -e 'const fs = require("fs"); fs.writeFileSync("pkg/web/ticketwire_bg.wasm.base64.js", `export default "${fs.readFileSync("pkg/web/ticketwire_bg.wasm").toString("base64")}";\n`)'
# The edge wasm as a string for node.cjs and worker.mjs (CommonJS: both module systems read it).
node -e 'const fs = require("fs"); fs.writeFileSync("pkg/edge/ticketwire_bg.wasm.base64.cjs", `module.exports = "${fs.readFileSync("pkg/edge/ticketwire_bg.wasm").toString("base64")}";\n`)'
# `ticketwire/widget`: the <ticketwire-widget> element, its CSS inlined, and its types.
node scripts/build-widget.mjs

node scripts/size-report.mjs
