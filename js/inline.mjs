// The browser entry with the wasm inside it (base64), for bundlers that do not emit the .wasm
// that `new URL(…, import.meta.url)` names (esbuild, Rollup, `bun build`): nothing to serve
// beside the bundle, at the cost of a larger download (see the README's "Size").
import init, * as wasm from './web/ticketwire.js';
import wasmBase64 from './web/ticketwire_bg.wasm.base64.js';
import { TicketwireError, install, edgeOnly } from './install.mjs';

const binary = atob(wasmBase64);
const bytes = new Uint8Array(binary.length);
for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
await init({ module_or_path: bytes });
install(wasm);

export { TicketwireError };
export const { MavaClient, HelpWaveClient, TickitiClient } = wasm;
export const { createRelay, durableObjectRateLimiter, TicketwireRateLimitObject } = edgeOnly;
