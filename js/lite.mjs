// `ticketwire/lite`: the clients as a page that calls through a relay uses them (the visitor's
// surface), from a wasm of their own (pkg/lite, built without the "full" feature): only the
// operations a relay may serve a visitor, `conversation` and `schemas`; no key, so no redaction
// and no per-key limiter; no iterator. Like browser.mjs, importing it is the only init.
import init, * as wasm from './lite/ticketwire.js';
import { TicketwireError, install } from './install.mjs';

const url = new URL('./lite/ticketwire_bg.wasm', import.meta.url);
// Node (tests, SSR): its fetch cannot read a file: URL.
const fs = url.protocol === 'file:' && globalThis.process?.getBuiltinModule?.('node:fs');
await init({ module_or_path: fs ? fs.readFileSync(url) : url });
install(wasm);

export { TicketwireError };
export const { MavaClient, HelpWaveClient, TickitiClient } = wasm;
