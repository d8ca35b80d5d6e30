// Browsers (and Deno): the module fetches and compiles its .wasm before it resolves (top-level
// await), so importing it is the only init. Bundlers resolve the URL below as an asset.
import { loadWasm } from './web-init.mjs';
import { TicketwireError, edgeOnly } from './install.mjs';

const wasm = await loadWasm(() => {
  const url = new URL('./web/ticketwire_bg.wasm', import.meta.url);
  // Node given the "browser" condition (SSR, test set-ups): its fetch cannot read a file: URL.
  const fs = url.protocol === 'file:' && globalThis.process?.getBuiltinModule?.('node:fs');
  return fs ? fs.readFileSync(url) : url;
});

export { TicketwireError };
export const { MavaClient, HelpWaveClient, TickitiClient } = wasm;
// The relay and the webhook verifier hold secrets: they run at the edge, and a page downloads none of them.
export const {
  createRelay, durableObjectRateLimiter, TicketwireRateLimitObject, verifyMavaWebhook, durableObjectConversations,
  TicketwireConversationObject,
} = edgeOnly;
