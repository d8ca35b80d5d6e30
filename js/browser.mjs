// Browsers (and Deno): the module fetches and compiles its .wasm before it resolves (top-level
// await), so importing it is the only init. Bundlers resolve the URL below as an asset.
import init, * as wasm from './web/ticketwire.js';
import { TicketwireError, install, edgeOnly } from './install.mjs';

await init({ module_or_path: new URL('./web/ticketwire_bg.wasm', import.meta.url) });
install(wasm);

export { TicketwireError };
export const { MavaClient, HelpWaveClient, TickitiClient } = wasm;
// The relay holds provider keys: it runs at the edge, and a page downloads none of it.
export const { createRelay, durableObjectRateLimiter, TicketwireRateLimitObject } = edgeOnly;
