// Builds the widget page with Vite (www/dist) and prints what a visitor's browser transfers for
// the widget: the JS (the widget, its CSS inlined, the package's glue) and the wasm, raw and
// gzip (not the demo page's own stylesheet).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
await build({ configFile: `${root}vite.config.js` });
const assets = `${root}dist/assets/`;
let raw = 0;
let gzip = 0;
for (const file of readdirSync(assets).sort().filter((name) => !name.endsWith('.css'))) {
  const bytes = readFileSync(`${assets}${file}`);
  const zipped = gzipSync(bytes, { level: 9 }).length;
  raw += statSync(`${assets}${file}`).size;
  gzip += zipped;
  console.log(`widget: ${file.padEnd(34)} ${String(bytes.length).padStart(8)} B raw ${String(zipped).padStart(8)} B gzip`);
}
console.log(`widget: ${'total (JS, CSS inlined, wasm)'.padEnd(34)} ${String(raw).padStart(8)} B raw ${String(gzip).padStart(8)} B gzip`);
