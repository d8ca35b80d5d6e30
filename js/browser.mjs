// Browsers (and Deno): the module fetches and compiles its .wasm before it resolves (top-level
// await), so importing it is the only init. Bundlers resolve the URL below as an asset.
import init, * as wasm from './web/ticketwire.js';
import { TicketwireError, install, edgeOnly } from './install.mjs';

const wasmUrl = new URL('./web/ticketwire_bg.wasm', import.meta.url);
// Node given the "browser" condition (SSR, test set-ups): its fetch cannot read a file: URL.
const fromDisk = wasmUrl.protocol === 'file:' && globalThis.process?.getBuiltinModule?.('node:fs');
await init({ module_or_path: fromDisk ? fromDisk.readFileSync(wasmUrl) : wasmUrl });
install(wasm);

export { TicketwireError };
export const { MavaClient, HelpWaveClient, TickitiClient } = wasm;
// The relay holds provider keys: it runs at the edge, and a page downloads none of it.
export const { createRelay, durableObjectRateLimiter, TicketwireRateLimitObject } = edgeOnly;
