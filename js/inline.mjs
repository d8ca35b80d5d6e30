// The browser entry with the wasm inside it (base64), for bundlers that do not emit the .wasm
// that `new URL(…, import.meta.url)` names (esbuild, Rollup, `bun build`): nothing to serve
// beside the bundle, at the cost of a larger download (see the README's "Size").
import { loadWasm } from './web-init.mjs';
import wasmBase64 from './web/ticketwire_bg.wasm.base64.js';
import { TicketwireError, base64Bytes, edgeOnly } from './install.mjs';

const wasm = await loadWasm(() => base64Bytes(wasmBase64));

export { TicketwireError };
export const { MavaClient, HelpWaveClient, TickitiClient } = wasm;
export const {
  createRelay, durableObjectRateLimiter, TicketwireRateLimitObject, verifyMavaWebhook, durableObjectConversations,
  TicketwireConversationObject,
} = edgeOnly;
