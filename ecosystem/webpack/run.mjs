// webpack 5 with no configuration (src/index.js in, dist/main.js out): it emits the .wasm that
// the browser entry's `new URL(…, import.meta.url)` names. Loaded in Chromium and Firefox ESR.
import { execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { copySmoke, inChromium, inFirefox, serve } from '../browser.mjs';

copySmoke('src');
rmSync('dist', { recursive: true, force: true });
execFileSync('webpack', ['--mode', 'production'], { stdio: 'inherit' });
if (!readdirSync('dist').some((file) => file.endsWith('.wasm'))) throw new Error('webpack emitted no .wasm');
copyFileSync('index.html', 'dist/index.html');
const site = await serve('dist');
try {
  console.log(`webpack ${JSON.parse(readFileSync('node_modules/webpack/package.json', 'utf8')).version}, ${await inChromium(site.origin)}; ${await inFirefox(site.origin)}`);
} finally {
  site.close();
}
