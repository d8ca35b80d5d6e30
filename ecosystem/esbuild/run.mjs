// esbuild emits no asset for `new URL(…, import.meta.url)`. Either the page imports
// `ticketwire/inline` (the wasm inside the bundle), or the build copies the package's
// `ticketwire/ticketwire_bg.wasm` export to web/ beside the bundle: the README's two ways.
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { build, version } from 'esbuild';
import { copySmoke, inChromium, inFirefox, serve } from '../browser.mjs';

const require = createRequire(import.meta.url);
copySmoke('src');

async function page(entry, dist, copyWasm, firefox) {
  rmSync(dist, { recursive: true, force: true });
  await build({ entryPoints: { index: entry }, bundle: true, format: 'esm', outdir: dist, logLevel: 'warning' });
  copyFileSync('index.html', `${dist}/index.html`);
  if (copyWasm) {
    mkdirSync(`${dist}/web`);
    copyFileSync(require.resolve('ticketwire/ticketwire_bg.wasm'), `${dist}/web/ticketwire_bg.wasm`);
  }
  const site = await serve(dist);
  try {
    const browsers = [await inChromium(site.origin), ...(firefox ? [await inFirefox(site.origin)] : [])];
    return `${readdirSync(dist).join(' + ')}: ${browsers.join(', ')}`;
  } finally {
    site.close();
  }
}
const inline = await page('src/index.js', 'dist/inline', false, true); // Firefox too: the base64 path
const copied = await page('src/copy.js', 'dist/copy', true, false);
console.log(`esbuild ${version}: ticketwire/inline, ${inline}; ticketwire + .wasm copied, ${copied}`);
