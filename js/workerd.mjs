// Cloudflare Workers (workerd): wrangler bundles the .wasm import as a compiled module, so the
// instance is ready synchronously (no fetch of a URL, which Workers does not allow for code).
import wasmModule from './edge/ticketwire_bg.wasm';
import * as wasm from './edge/ticketwire.js';
import { TicketwireError, install, violationsReader } from './install.mjs';

wasm.initSync({ module: wasmModule });
install(wasm, violationsReader());

export { TicketwireError };
export const {
  MavaClient, HelpWaveClient, TickitiClient, createRelay, durableObjectRateLimiter, TicketwireRateLimitObject,
  verifyMavaWebhook, durableObjectConversations, TicketwireConversationObject,
} = wasm;
