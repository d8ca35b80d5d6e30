// Rollup emits no asset for `new URL(…, import.meta.url)`, so the page imports
// `ticketwire/inline` (the wasm inside the bundle): the README's one line for Rollup.
import { execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync, rmSync } from 'node:fs';
import { copySmoke, inChromium, serve } from '../browser.mjs';

copySmoke('src');
rmSync('dist', { recursive: true, force: true });
execFileSync('rollup', ['-c', '--silent'], { stdio: 'inherit' });
copyFileSync('index.html', 'dist/index.html');
const site = await serve('dist');
try {
  const version = execFileSync('rollup', ['--version'], { encoding: 'utf8' }).trim();
  console.log(`${version}, ticketwire/inline, ${readdirSync('dist').join(' + ')}: ${await inChromium(site.origin)}`);
} finally {
  site.close();
}
