// Shared by the two browser entries (browser.mjs, inline.mjs), which share one wasm-bindgen
// glue module: whichever a page loads first compiles the wasm and installs; the other finds it
// ready.
import init, * as wasm from './web/ticketwire.js';
import { install } from './install.mjs';

let ready;
/** `source()` gives what init takes: a URL, or the wasm's bytes. */
export function loadWasm(source) {
  ready ??= init({ module_or_path: source() }).then(() => {
    install(wasm);
    return wasm;
  });
  return ready;
}
