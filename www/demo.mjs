// Brings the demo up: the sandbox, the relay Worker (examples/worker) in workerd, and the widget
// page (www/dist, built by Vite) on local ports. `node www/demo.mjs` prints the URL and serves
// until Ctrl-C; `--check` runs the browser scenario (www/scenario.mjs) in Chromium and Firefox
// instead, and exits 0 only when both pass.
import { createServer, request as forward } from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KEYS, startSandbox } from '../tests/e2e/sandbox.mjs';
import { EXAMPLE_WORKER, bundle, start, worker } from '../tests/workerd/workerd.mjs';

const DIST = fileURLToPath(new URL('./dist/', import.meta.url));
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };

const listen = (server, port) => new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`)));

/** Starts everything; resolves to { url, relayUrl, sandbox, relayRequests(), stop() }. */
export async function startDemo({ port = 0 } = {}) {
  const sandbox = await startSandbox();
  // The page first: the relay allows exactly its origin.
  let relayUrl = '';
  const page = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/' || url.pathname === '/index.html') {
      const provider = ['mava', 'helpwave', 'tickiti'].includes(url.searchParams.get('provider')) ? url.searchParams.get('provider') : 'helpwave';
      const html = (await readFile(`${DIST}index.html`, 'utf8')).replace('%RELAY%', relayUrl).replace('%PROVIDER%', provider);
      return res.writeHead(200, { 'content-type': TYPES['.html'] }).end(html);
    }
    const file = normalize(`${DIST}${url.pathname}`);
    const bytes = file.startsWith(DIST) ? await readFile(file).catch(() => null) : null;
    if (bytes === null) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(bytes);
  });
  const url = await listen(page, port);

  const relay = bundle(EXAMPLE_WORKER);
  const workerd = await start([worker('relay', relay.scriptPath, {
    bindings: {
      ALLOWED_ORIGINS: url,
      CAPABILITY_SECRET: randomBytes(32).toString('hex'),
      MAVA_API_KEY: KEYS.mava, MAVA_BASE_URL: `${sandbox.url}/mava`,
      HELPWAVE_API_KEY: KEYS.helpwave, HELPWAVE_BASE_URL: `${sandbox.url}/helpwave`,
      TICKITI_API_KEY: KEYS.tickiti, TICKITI_BASE_URL: `${sandbox.url}/tickiti`,
    },
    durableObjects: { TICKETWIRE_LIMITER: 'TicketwireRateLimitObject' },
  })]);
  // In front of the relay: counts what reaches it from the page (preflights included).
  let relayed = 0;
  const counter = createServer((req, res) => {
    relayed += 1;
    const target = new URL(req.url, workerd.url);
    const upstream = forward(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  relayUrl = await listen(counter, 0);
  return {
    url,
    relayUrl,
    sandbox,
    relayRequests: () => relayed,
    stop: async () => {
      page.close();
      counter.close();
      await workerd.dispose();
      await sandbox.stop();
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const demo = await startDemo({ port: Number(process.env.PORT ?? 0) });
  if (process.argv.includes('--check')) {
    const { runScenario } = await import('./scenario.mjs');
    let failed = 0;
    for (const browser of ['chromium', 'firefox']) {
      try {
        await runScenario(browser, demo);
        console.log(`check: ${browser} passed`);
      } catch (error) {
        failed += 1;
        console.log(`check: ${browser} failed: ${error.stack ?? error}`);
      }
    }
    await demo.stop();
    process.exit(failed === 0 ? 0 : 1);
  }
  console.log(`The support widget demo is at ${demo.url}/  (?provider=mava|helpwave|tickiti)`);
  console.log(`relay (workerd): ${demo.relayUrl}   sandbox: ${demo.sandbox.url}   Ctrl-C stops it.`);
  const stop = async () => { await demo.stop(); process.exit(0); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
