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
# SKIP_PAGE=1 (while iterating on the server builds): no page build, widget or size report.
skip_page=${SKIP_PAGE:-0}
[ "$skip_page" = 1 ] || build web pkg/web page
build web pkg/edge server --features edge
build nodejs pkg/node server --features edge
# What a page downloads carries no comments or blank space (7.3 -> 5.3 KB gzip); names are kept.
[ "$skip_page" = 1 ] || esbuild pkg/web/ticketwire.js --minify-whitespace --minify-syntax --legal-comments=none --format=esm \
  --log-level=warning --allow-overwrite --outfile=pkg/web/ticketwire.js
# One edge wasm for both glues (they are the same binary); the Node glue instantiates on demand.
cmp pkg/edge/ticketwire_bg.wasm pkg/node/ticketwire_bg.wasm
rm pkg/node/ticketwire_bg.wasm pkg/node/ticketwire_bg.wasm.d.ts
node scripts/lazy-node-glue.mjs pkg/node/ticketwire.js
# Each half declares its own module system, whatever the package root says.
mkdir -p pkg/web && echo '{ "type": "module" }' | tee pkg/web/package.json > pkg/edge/package.json
# pkg/node/ is also what `ticketwire/node` names to a resolver that reads no exports map (node10).
echo '{ "type": "commonjs", "main": "../node-handler.cjs", "types": "../node-handler.d.cts" }' > pkg/node/package.json

cp js/package.json js/browser.mjs js/workerd.mjs js/edge-light.mjs js/worker.mjs js/node.mjs js/node.cjs js/index.d.ts js/install.mjs js/README.md pkg/
# The CommonJS twins of install.mjs and of the types, from their one source.
sed -e 's/^export class /class /; s/^export function /function /; s/^export const /const /' js/install.mjs > pkg/install.cjs
printf "\nmodule.exports = { TicketwireError, install, base64Bytes };\n" >> pkg/install.cjs
sed -e "s#'./edge/ticketwire.js'#'./node/ticketwire.js'#g" js/index.d.ts > pkg/index.d.cts
# The entries for Jest's jsdom (browser.cjs) and for bundlers that emit no .wasm (inline.mjs,
# which imports the wasm as a base64 string; inline.d.ts for node10 types), and the loader
# both browser entries share (web-init.mjs).
cp js/browser.cjs js/inline.mjs js/inline.d.ts js/web-init.mjs pkg/
# `ticketwire/slim` (no wasm inside: the host's initSync(module)), its types, and their CommonJS twin.
cp js/slim.cjs js/slim.mjs js/slim.d.ts pkg/
sed -e "s#'./index.js'#'./index.cjs'#" js/slim.d.ts > pkg/slim.d.cts
# `ticketwire/node` (toNodeHandler), and its CommonJS types naming the CommonJS index's.
cp js/node-handler.cjs js/node-handler.mjs js/node-handler.d.ts pkg/
sed -e "s#'./index.js'#'./index.cjs'#" js/node-handler.d.ts > pkg/node-handler.d.cts
[ "$skip_page" = 1 ] || node -e 'const fs = require("fs"); fs.writeFileSync("pkg/web/ticketwire_bg.wasm.base64.js", `export default "${fs.readFileSync("pkg/web/ticketwire_bg.wasm").toString("base64")}";\n`)'
# The edge wasm as a string for node.cjs and worker.mjs (CommonJS: both module systems read it).
node -e 'const fs = require("fs"); fs.writeFileSync("pkg/edge/ticketwire_bg.wasm.base64.cjs", `module.exports = "${fs.readFileSync("pkg/edge/ticketwire_bg.wasm").toString("base64")}";\n`)'
# `ticketwire/widget`: the <ticketwire-widget> element, its CSS inlined, and its types.
[ "$skip_page" = 1 ] && exit 0
node scripts/build-widget.mjs

node scripts/size-report.mjs
