// Vite 7: the production build and the dev server, in Chromium. The dev server needs the one
// line of vite.config.js: without it (configFile: false) the page must fail as the README says.
import { build, createServer, version } from 'vite';
import { copySmoke, inChromium, serve } from '../browser.mjs';

copySmoke('src');
await build({ logLevel: 'warn' });
const site = await serve('dist');
const built = await inChromium(site.origin).finally(site.close);

async function dev(options) {
  const server = await createServer({ logLevel: 'warn', server: { host: '127.0.0.1', port: 0 }, ...options });
  await server.listen();
  try {
    return await inChromium(server.resolvedUrls.local[0]);
  } finally {
    await server.close();
  }
}
const withLine = await dev({});
const withoutLine = await dev({ configFile: false }).then((passed) => passed, (error) => error.message);
if (!withoutLine.includes('expected magic word 00 61 73 6d')) throw new Error(`dev without optimizeDeps.exclude: ${withoutLine}`);
console.log(`vite ${version} build, ${built}; dev (optimizeDeps.exclude), ${withLine}; dev without it fails: CompileError`);
