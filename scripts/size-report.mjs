// Prints what a browser page downloads for `import { MavaClient } from "ticketwire"`, and for
// `ticketwire/lite` (the page build for pages that call through a relay): raw and gzip.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const entries = [
  ['ticketwire', ['web/ticketwire_bg.wasm', 'web/ticketwire.js', 'browser.mjs', 'web-init.mjs', 'install.mjs']],
  ['ticketwire/lite', ['lite/ticketwire_bg.wasm', 'lite/ticketwire.js', 'lite.mjs', 'install.mjs']],
];
for (const [entry, files] of entries) {
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const bytes = readFileSync(new URL(`../pkg/${file}`, import.meta.url));
    const zipped = gzipSync(bytes, { level: 9 }).length;
    raw += bytes.length;
    gzip += zipped;
    console.log(`size: ${file.padEnd(24)} ${String(bytes.length).padStart(8)} B raw ${String(zipped).padStart(8)} B gzip`);
  }
  const total = `total (${entry})`;
  console.log(`size: ${total.padEnd(24)} ${String(raw).padStart(8)} B raw ${String(gzip).padStart(8)} B gzip`);
}
