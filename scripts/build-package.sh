#!/usr/bin/env bash
# Builds the npm package into pkg/: the release wasm (size-optimised, wasm-opt -Oz) as an ES
# module for browsers and workerd (pkg/web) and as CommonJS for Node (pkg/node), plus the entries
# in js/. Prints the sizes a browser downloads.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH" # binaryen's wasm-opt, newer than Debian's

rm -rf pkg
for target in web nodejs; do
  out=pkg/${target/nodejs/node}
  wasm-pack --quiet build --release --target "$target" --out-dir "$out" --out-name ticketwire --no-pack
  rm -f "$out/.gitignore"
done
# Each half declares its own module system, whatever the package root says.
echo '{ "type": "module" }' > pkg/web/package.json
echo '{ "type": "commonjs" }' > pkg/node/package.json

cp js/package.json js/browser.mjs js/workerd.mjs js/node.mjs js/node.cjs js/index.d.ts js/install.mjs README.md pkg/
# The CommonJS twins of install.mjs and of the types, from their one source.
sed -e 's/^export class /class /; s/^export function /function /' js/install.mjs > pkg/install.cjs
printf "\nmodule.exports = { TicketwireError, install };\n" >> pkg/install.cjs
sed -e "s#'./web/ticketwire.js'#'./node/ticketwire.js'#g" js/index.d.ts > pkg/index.d.cts

node scripts/size-report.mjs
