// End to end: a page in headless Chromium → the relay Worker in workerd → the sandbox. The page
// holds no key: it creates a HelpWave ticket through the relay, then comments on it with the
// capability the create answered with, and reads the thread back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../chromium.mjs';
import { KEYS, startSandbox } from '../e2e/sandbox.mjs';
import { EXAMPLE_WORKER, bundle, start, worker } from './workerd.mjs';

const PKG = fileURLToPath(new URL('../../pkg/', import.meta.url));
const TYPES = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm' };
let sandbox;
let pages;
let workerd;
let browser;
let pageOrigin;

before(async () => {
  sandbox = await startSandbox();
  pages = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>shop</title>');
    const file = normalize(`${PKG}${path}`);
    const bytes = file.startsWith(PKG) ? await readFile(file).catch(() => null) : null;
    if (bytes === null) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(bytes);
  });
  await new Promise((resolve) => pages.listen(0, '127.0.0.1', resolve));
  pageOrigin = `http://127.0.0.1:${pages.address().port}`;
  const relay = bundle(EXAMPLE_WORKER);
  workerd = await start([worker('relay', relay.scriptPath, {
    bindings: {
      ALLOWED_ORIGINS: pageOrigin,
      CAPABILITY_SECRET: 'e2e-capability-secret-0123456789abcdef',
      HELPWAVE_API_KEY: KEYS.helpwave,
      HELPWAVE_BASE_URL: `${sandbox.url}/helpwave`,
    },
    durableObjects: { TICKETWIRE_LIMITER: 'TicketwireRateLimitObject' },
  })]);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await workerd?.dispose();
  pages?.close();
  await sandbox?.stop();
});

test('Chromium → relay in workerd → sandbox: a ticket, a comment with its capability, the thread', async () => {
  const page = await browser.newPage();
  const requests = [];
  page.on('request', (request) => requests.push({ url: request.url(), method: request.method(), headers: request.headers() }));
  await page.goto(`${pageOrigin}/`);
  const result = await page.evaluate(async (relayUrl) => {
    const { HelpWaveClient } = await import('/browser.mjs');
    const helpwave = new HelpWaveClient({ baseUrl: `${relayUrl}/helpwave` });
    const identified = await helpwave.identify({ email: 'jane@example.com' });
    const created = await helpwave.createTicket({ customerId: identified.customer.id, Channel: 'Website', lastMessage: 'Where is my order?' }, { capability: identified.capability });
    const comment = await helpwave.sendMessage({ ticketId: created.ticket.id, text: 'It was due on Monday.' }, { capability: created.capability });
    const thread = await helpwave.listComments(created.ticket.id, { capability: created.capability });
    let refused;
    try {
      await helpwave.sendMessage({ ticketId: created.ticket.id, text: 'no capability' });
    } catch (error) {
      refused = { kind: error.kind, status: error.status, code: error.code };
    }
    return { ticketId: created.ticket.id, hasCapability: /^tw1\./.test(created.capability), commented: comment.success, thread: thread.comments.map((c) => c.text), refused };
  }, workerd.url);
  assert.match(result.ticketId, /^\d{18}$/);
  assert.equal(result.hasCapability, true);
  assert.equal(result.commented, true);
  assert.deepEqual(result.thread, ['It was due on Monday.']);
  assert.deepEqual(result.refused, { kind: 'api', status: 403, code: 'CAPABILITY_REQUIRED' });
  const counts = await sandbox.counts();
  assert.deepEqual([counts.helpwave_tickets, counts.helpwave_comments], [1, 1]);
  const toRelay = requests.filter((r) => r.url.startsWith(workerd.url) && r.method !== 'OPTIONS');
  const comments = `/helpwave/api/v1/tickets/${result.ticketId}/comments`;
  assert.deepEqual(toRelay.map((r) => `${r.method} ${new URL(r.url).pathname}`), [
    'POST /helpwave/api/v1/customers', 'POST /helpwave/api/v1/tickets', `POST ${comments}`, `GET ${comments}`, `POST ${comments}`,
  ]);
  for (const request of toRelay) {
    assert.equal(request.headers['x-api-key'], undefined, 'no key leaves the page');
    assert.equal(request.headers.authorization, undefined);
  }
  await page.close();
});
