// Makes wasm-pack's CommonJS glue (pkg/node/ticketwire.js, `--target nodejs`) instantiate on
// demand instead of reading `${__dirname}/ticketwire_bg.wasm` when required: a path no bundler
// follows, and a file a bundled server no longer has. The entries hand it a compiled module:
// node.cjs from the bytes inlined in the package, slim.cjs from the host's own. Fails the build
// when wasm-bindgen's loader is not the one this expects.
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.argv[2];
const LOADER = [
  'const wasmPath = `${__dirname}/ticketwire_bg.wasm`;',
  "const wasmBytes = require('fs').readFileSync(wasmPath);",
  'const wasmModule = new WebAssembly.Module(wasmBytes);',
  'let wasmInstance = new WebAssembly.Instance(wasmModule, __wbg_get_imports());',
  'let wasm = wasmInstance.exports;',
  'wasm.__wbindgen_start();',
].join('\n');
const ON_DEMAND = `// ticketwire: instantiated by the package's entry (node.cjs, slim.cjs), not from a file beside this one.
const notInstantiated = new Proxy({}, {
    get() {
        throw new Error('ticketwire/slim: call initSync(module) or await init(source) before using the package');
    },
});
let wasm = notInstantiated;
exports.__isInstantiated = () => wasm !== notInstantiated;
/** Instantiates this glue's wasm from a compiled WebAssembly.Module of any realm, once. */
exports.__instantiate = function (module) {
    if (wasm !== notInstantiated) return;
    wasm = new WebAssembly.Instance(module, __wbg_get_imports()).exports;
    wasm.__wbindgen_start();
};`;

const glue = readFileSync(file, 'utf8');
if (glue.split(LOADER).length !== 2) throw new Error(`${file}: wasm-bindgen's loader is not the expected one; update scripts/lazy-node-glue.mjs`);
const patched = glue.replace(LOADER, ON_DEMAND);
if (/__dirname|require\('fs'\)/.test(patched)) throw new Error(`${file}: still reads a file`);
writeFileSync(file, patched);
