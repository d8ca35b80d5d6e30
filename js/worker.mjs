// Other worker runtimes and bundles (the "worker" condition, after "workerd" and "edge-light"):
// the edge build, the relay included, with its wasm inside this module (base64) so that any
// bundler keeps it and nothing is fetched; compiled synchronously, as workers allow.
import wasmBase64 from './edge/ticketwire_bg.wasm.base64.cjs';
import * as wasm from './edge/ticketwire.js';
import { TicketwireError, base64Bytes, install, violationsReader } from './install.mjs';

wasm.initSync({ module: base64Bytes(wasmBase64) });
install(wasm, violationsReader());

export { TicketwireError };
export const {
  MavaClient, HelpWaveClient, TickitiClient, createRelay, durableObjectRateLimiter, TicketwireRateLimitObject,
  verifyMavaWebhook, durableObjectConversations, TicketwireConversationObject,
} = wasm;
