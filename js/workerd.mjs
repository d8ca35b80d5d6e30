// Cloudflare Workers (workerd): wrangler bundles the .wasm import as a compiled module, so the
// instance is ready synchronously (no fetch of a URL, which Workers does not allow for code).
import wasmModule from './web/ticketwire_bg.wasm';
import { initSync, __registerErrorClass, MavaClient, HelpWaveClient, TickitiClient } from './web/ticketwire.js';
import { TicketwireError } from './ticketwire_error.mjs';

initSync({ module: wasmModule });
__registerErrorClass(TicketwireError);

export { TicketwireError, MavaClient, HelpWaveClient, TickitiClient };
