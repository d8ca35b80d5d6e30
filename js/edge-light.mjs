// Next.js's Edge runtime and Vercel's Edge Functions (the "edge-light" condition): the edge build,
// the relay included. Their bundlers turn a `.wasm?module` import into a compiled
// WebAssembly.Module (these runtimes compile no wasm from bytes). Instantiated asynchronously:
// Next's local edge sandbox hands over a module from another realm, which wasm-bindgen's
// synchronous init would not recognise.
import wasmModule from './edge/ticketwire_bg.wasm?module';
import init, * as wasm from './edge/ticketwire.js';
import { TicketwireError, install, violationsReader } from './install.mjs';

await init({ module_or_path: wasmModule });
install(wasm, violationsReader());

export { TicketwireError };
export const {
  MavaClient, HelpWaveClient, TickitiClient, createRelay, durableObjectRateLimiter, TicketwireRateLimitObject,
  verifyMavaWebhook, durableObjectConversations, TicketwireConversationObject,
} = wasm;
