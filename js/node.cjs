// Node, CommonJS (and, through node.mjs, ES modules; Deno and Bun too): ready once required, no
// init call. The wasm travels inside the package's JavaScript (base64), not as a file found by
// `__dirname` at run time: whatever bundles this file (Next.js with Turbopack or webpack,
// esbuild, `bun build --compile`) bundles the wasm with it, and a server runs from its bundle.
'use strict';
const wasm = require('./node/ticketwire.js');
const { TicketwireError, base64Bytes, install } = require('./install.cjs');

if (!wasm.__isInstantiated()) {
  // No require of a Node built-in: esbuild's ES module output cannot require one.
  const base64 = require('./edge/ticketwire_bg.wasm.base64.cjs');
  wasm.__instantiate(new WebAssembly.Module(typeof Buffer === 'function' ? Buffer.from(base64, 'base64') : base64Bytes(base64)));
}
install(wasm);

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
