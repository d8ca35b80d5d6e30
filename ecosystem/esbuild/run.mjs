// esbuild emits no asset for `new URL(…, import.meta.url)`, so the page imports
// `ticketwire/inline` (the wasm inside the bundle): the README's one line for esbuild.
import { copyFileSync, readdirSync, rmSync } from 'node:fs';
import { build, version } from 'esbuild';
import { copySmoke, inChromium, serve } from '../browser.mjs';

copySmoke('src');
rmSync('dist', { recursive: true, force: true });
await build({ entryPoints: ['src/index.js'], bundle: true, format: 'esm', outdir: 'dist', logLevel: 'warning' });
copyFileSync('index.html', 'dist/index.html');
const site = await serve('dist');
try {
  console.log(`esbuild ${version}, ticketwire/inline, ${readdirSync('dist').join(' + ')}: ${await inChromium(site.origin)}`);
} finally {
  site.close();
}
