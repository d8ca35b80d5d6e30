// `ticketwire/slim`: the package without its wasm, for a host that compiles the module itself
// (a `.wasm` import its bundler turns into a WebAssembly.Module, bytes it read, a URL it serves).
// Nothing is usable until `initSync(module)` or `await init(source)`; the wasm to give it is
// `ticketwire/slim.wasm`. The same module instance as require('ticketwire'): whichever comes first
// instantiates it, and the other finds it ready.
'use strict';
const wasm = require('./node/ticketwire.js');
const { TicketwireError, install, violationsReader } = require('./install.cjs');

// By its tag, not `instanceof`: a module compiled in another realm (a vm context, Next's edge sandbox) is one too.
const isModule = (value) => Object.prototype.toString.call(value) === '[object WebAssembly.Module]';
const isResponse = (value) => typeof Response === 'function' && value instanceof Response;

/**
 * Instantiates the package from `module`: ticketwire's compiled WebAssembly.Module (or its
 * bytes, compiled here). Does nothing once instantiated.
 */
function initSync(module) {
  if (!wasm.__isInstantiated()) wasm.__instantiate(isModule(module) ? module : new WebAssembly.Module(module));
  install(wasm, violationsReader());
}

/**
 * Instantiates the package from `source`: a WebAssembly.Module, its bytes, a `Response`, or a
 * URL to fetch (or a promise of one of these). Resolves once it is ready.
 */
async function init(source) {
  if (wasm.__isInstantiated()) return install(wasm, violationsReader());
  let value = await source;
  if (typeof value === 'string' || value instanceof URL) value = await fetch(value);
  if (isResponse(value)) {
    if (!value.ok) throw new TypeError(`ticketwire/slim: fetching the wasm answered ${value.status}`);
    value = await value.arrayBuffer();
  }
  initSync(isModule(value) ? value : await WebAssembly.compile(value));
}

module.exports = {
  initSync,
  init,
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
