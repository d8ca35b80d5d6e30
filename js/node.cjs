// Node, CommonJS (and, through node.mjs, ES modules; Deno and Bun too): ready once required, no
// init call. The wasm also travels inside the package's JavaScript (base64), not only as a file
// found by `__dirname`: whatever bundles this file (Next.js with Turbopack or webpack, esbuild,
// `bun build --compile`) bundles the wasm with it, and a server runs from its bundle.
'use strict';
const wasm = require('./node/ticketwire.js');
const { TicketwireError, base64Bytes, install, violationsReader } = require('./install.cjs');

// The edge build's size in bytes, written by scripts/build-package.sh: a file of another size
// beside a bundle is not this package's wasm.
const EDGE_WASM_BYTES = 0;

/** The edge build's bytes: the file beside this one where it is there (unbundled: 0.3 ms), else
 * the base64 copy (a bundle; about 4 ms more to load and decode 0.8 MB of JavaScript). */
function edgeWasm() {
  // `module.path`, Node's own, which bundlers' module objects lack (`__dirname` they rewrite or
  // leave undefined), and `process.getBuiltinModule`: esbuild's ES module output cannot require one.
  const dir = typeof module === 'object' && typeof module.path === 'string' && module.path;
  const fs = dir && globalThis.process?.getBuiltinModule?.('node:fs');
  if (fs) {
    try {
      const bytes = fs.readFileSync(`${dir}/edge/ticketwire_bg.wasm`);
      if (bytes.length === EDGE_WASM_BYTES) return bytes;
    } catch {
      // Not there: bundled.
    }
  }
  const base64 = require('./edge/ticketwire_bg.wasm.base64.cjs');
  return typeof Buffer === 'function' ? Buffer.from(base64, 'base64') : base64Bytes(base64);
}

if (!wasm.__isInstantiated()) wasm.__instantiate(new WebAssembly.Module(edgeWasm()));
install(wasm, violationsReader());

module.exports = {
  TicketwireError,
  MavaClient: wasm.MavaClient,
  HelpWaveClient: wasm.HelpWaveClient,
  TickitiClient: wasm.TickitiClient,
  createRelay: wasm.createRelay,
  durableObjectRateLimiter: wasm.durableObjectRateLimiter,
  TicketwireRateLimitObject: wasm.TicketwireRateLimitObject,
  verifyMavaWebhook: wasm.verifyMavaWebhook,
  durableObjectConversations: wasm.durableObjectConversations,
  TicketwireConversationObject: wasm.TicketwireConversationObject,
};
