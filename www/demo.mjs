// Brings the demo up: the sandbox, the relay Worker (examples/worker) in workerd, and the widget
// page (www/dist, built by Vite; served under a strict CSP with Trusted Types, whose violation
// reports it keeps) on local ports; the sandbox's Mava webhooks go to the relay's
// POST /mava/webhooks, so an agent's reply in the sandbox reaches the visitor's widget.
// `node www/demo.mjs` prints the URL and the command that makes an agent reply (www/reply.mjs),
// and serves until Ctrl-C; `--check` runs the browser scenarios (www/scenario.mjs: the form, and
// the live conversations) in Chromium and Firefox instead, and exits 0 only when both pass.
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KEYS, startSandbox } from '../tests/e2e/sandbox.mjs';
import { EXAMPLE_WORKER, bundle, start, worker } from '../tests/workerd/workerd.mjs';
import { relayProxy } from './relay-proxy.mjs';

const DIST = fileURLToPath(new URL('./dist/', import.meta.url));
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };

/**
 * The page's Content-Security-Policy: the strict one the README gives for the widget (scripts
 * and styles from the page's own origin, wasm compiled, Trusted Types required and no policy
 * allowed), each violation reported to the page server (`cspReports()`).
 */
export const CSP = "script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; require-trusted-types-for 'script'; "
  + "trusted-types 'none'; report-uri /csp-reports";

/** Where a running demo writes its URLs, for www/reply.mjs. */
export const STATE = fileURLToPath(new URL('../target/www/demo.json', import.meta.url));

const listen = (server, port) => new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`)));

/** Starts everything; resolves to { url, relayUrl, webhookUrl, sandbox, relayRequests(), relayLog(), cspReports(), stop() }. */
export async function startDemo({ port = 0 } = {}) {
  const sandbox = await startSandbox();
  // The page first: the relay allows exactly its origin.
  let relayUrl = '';
  const cspReports = [];
  const page = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/' || url.pathname === '/index.html') {
      const provider = ['mava', 'helpwave', 'tickiti'].includes(url.searchParams.get('provider')) ? url.searchParams.get('provider') : 'helpwave';
      const html = (await readFile(`${DIST}index.html`, 'utf8')).replace('%RELAY%', relayUrl).replace('%PROVIDER%', provider);
      return res.writeHead(200, { 'content-type': TYPES['.html'], 'content-security-policy': CSP }).end(html);
    }
    if (req.method === 'POST' && url.pathname === '/csp-reports') {
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      cspReports.push(JSON.parse(Buffer.concat(chunks).toString('utf8'))['csp-report'] ?? {});
      return res.writeHead(204).end();
    }
    const file = normalize(`${DIST}${url.pathname}`);
    const bytes = file.startsWith(DIST) ? await readFile(file).catch(() => null) : null;
    if (bytes === null) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(bytes);
  });
  const url = await listen(page, port);

  const { signingKey } = await sandbox.control('webhooks', undefined, 'GET');
  const relay = bundle(EXAMPLE_WORKER);
  const workerd = await start([worker('relay', relay.scriptPath, {
    bindings: {
      ALLOWED_ORIGINS: url,
      CAPABILITY_SECRET: randomBytes(32).toString('hex'),
      MAVA_API_KEY: KEYS.mava, MAVA_BASE_URL: `${sandbox.url}/mava`, MAVA_WEBHOOK_SIGNING_KEY: signingKey,
      HELPWAVE_API_KEY: KEYS.helpwave, HELPWAVE_BASE_URL: `${sandbox.url}/helpwave`,
      TICKITI_API_KEY: KEYS.tickiti, TICKITI_BASE_URL: `${sandbox.url}/tickiti`,
      // Every browser of the demo (and of its tests, one after another) is one visitor, at
      // 127.0.0.1: room for them all, where the default is 30 requests a minute per visitor.
      VISITOR_LIMIT: '600/60000',
    },
    durableObjects: { TICKETWIRE_LIMITER: 'TicketwireRateLimitObject', TICKETWIRE_CONVERSATIONS: 'TicketwireConversationObject' },
  })]);
  // In front of the relay: counts what reaches it from the page (preflights included).
  const proxy = relayProxy(workerd.url);
  relayUrl = await listen(proxy.server, 0);
  // Mava's webhooks (the sandbox's, sealed with its key) go to the relay, through the proxy.
  const webhookUrl = `${relayUrl}/mava/webhooks`;
  await sandbox.control('webhooks', { url: webhookUrl });
  return {
    url,
    relayUrl,
    webhookUrl,
    sandbox,
    relayRequests: () => proxy.fromPage(),
    relayLog: () => proxy.log,
    cspReports: () => [...cspReports],
    stop: async () => {
      page.close();
      proxy.server.close();
      proxy.server.closeAllConnections?.();
      await workerd.dispose();
      await sandbox.stop();
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const demo = await startDemo({ port: Number(process.env.PORT ?? 0) });
  if (process.argv.includes('--check')) {
    const { runConversations, runScenario } = await import('./scenario.mjs');
    let failed = 0;
    for (const browser of ['chromium', 'firefox']) {
      try {
        await runScenario(browser, demo);
        const latencies = await runConversations(browser, demo);
        console.log(`check: ${browser} passed (replies in the widget after, in ms: ${JSON.stringify(latencies)})`);
      } catch (error) {
        failed += 1;
        console.log(`check: ${browser} failed: ${error.stack ?? error}`);
      }
    }
    // Every page ran under the strict CSP and Trusted Types: nothing may have been refused.
    const reports = demo.cspReports();
    if (reports.length > 0) {
      failed += 1;
      console.log(`check: ${reports.length} CSP violation(s) reported, the first: ${JSON.stringify(reports[0])}`);
    }
    await demo.stop();
    process.exit(failed === 0 ? 0 : 1);
  }
  mkdirSync(dirname(STATE), { recursive: true });
  writeFileSync(STATE, JSON.stringify({ page: demo.url, relay: demo.relayUrl, sandbox: demo.sandbox.url }));
  console.log(`The support widget demo is at ${demo.url}/  (?provider=mava|helpwave|tickiti)`);
  console.log(`relay (workerd): ${demo.relayUrl}   sandbox: ${demo.sandbox.url}   Mava's webhooks: ${demo.webhookUrl}`);
  console.log('An agent answers the latest Mava ticket, and the reply appears in the widget:');
  console.log('  node www/reply.mjs "It ships today."');
  console.log('  (--internal: a note the visitor never sees; node www/reply.mjs TICKET_ID "…": that Mava or HelpWave ticket)');
  console.log('Ctrl-C stops it.');
  // Miniflare's own SIGINT/SIGTERM hook stops workerd and exits at once, so what must not
  // outlive the demo (the sandbox's process, the state file) goes on exit, synchronously.
  process.on('exit', () => {
    rmSync(STATE, { force: true });
    demo.sandbox.stop(); // sends SIGTERM now; the promise is not waited for
  });
}
