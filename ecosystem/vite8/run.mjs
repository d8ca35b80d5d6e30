// Vite 8 with no configuration: the production build in Chromium and Firefox ESR, and the dev
// server in Chromium.
import { build, createServer, version } from 'vite';
import { copySmoke, inChromium, inFirefox, serve } from '../browser.mjs';

copySmoke('src');
await build({ logLevel: 'warn' });
const site = await serve('dist');
let built;
try {
  built = [await inChromium(site.origin), await inFirefox(site.origin)].join('; ');
} finally {
  site.close();
}
const server = await createServer({ logLevel: 'warn', server: { host: '127.0.0.1', port: 0 } });
await server.listen();
const dev = await inChromium(server.resolvedUrls.local[0]).finally(() => server.close());
console.log(`vite ${version} build, ${built}; dev, ${dev}`);
