// The package's browser entry in a real page (headless Chromium via playwright-core): a plain
// ES module import with no init call, the same rules, and the key guard of a browser page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../chromium.mjs';

const PKG = fileURLToPath(new URL('../../pkg/', import.meta.url));
const TYPES = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };
let server;
let browser;
let origin;

before(async () => {
  server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>widget</title>');
      return;
    }
    const file = normalize(`${PKG}${path}`);
    if (!file.startsWith(PKG)) return res.writeHead(403).end();
    const bytes = await readFile(file).catch(() => null);
    if (bytes === null) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(bytes);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.close();
});

test('in a browser page: import, validate, guard the key, call through fetch', async () => {
  const page = await browser.newPage();
  await page.goto(`${origin}/`);
  const result = await page.evaluate(async () => {
    const { MavaClient, TicketwireError, createRelay } = await import('/browser.mjs');
    let edge;
    try {
      createRelay({ mava: { apiKey: 'sk_page_secret' }, allowedOrigins: [] });
    } catch (error) {
      edge = { isTicketwire: error instanceof TicketwireError, kind: error.kind, provider: error.provider, message: error.message };
    }
    const widget = new MavaClient({ baseUrl: 'https://relay.example.com/mava' });
    const violations = widget.validateCreateTicket({ customer: { email: 'jane@localhost' }, message: { content: '👍'.repeat(10001) } });
    let guard;
    try {
      new MavaClient({ apiKey: 'sk_page_secret' });
    } catch (error) {
      guard = { isTicketwire: error instanceof TicketwireError, isError: error instanceof Error, kind: error.kind, leaks: JSON.stringify(error).includes('sk_page_secret') };
    }
    const consented = new MavaClient({ apiKey: 'sk_test_key', dangerouslyAllowBrowser: true }).prepareListTickets({ startDate: '2026-01-01', endDate: '2026-02-01' });
    const sent = [];
    const relay = new MavaClient({
      baseUrl: 'https://relay.example.com/mava',
      fetch: async (url, init) => { sent.push({ url, method: init.method, body: init.body }); return new Response('{"ticket":{"_id":"t1"}}', { status: 201 }); },
    });
    const created = await relay.createTicket({ customer: { email: 'jane@example.com' } });
    return { violations, guard, consented, sent, created, edge };
  });
  assert.deepEqual(result.edge, {
    isTicketwire: true, kind: 'config', provider: 'relay',
    message: 'createRelay runs at the edge (a Worker, Deno, Bun or Node), where the provider keys are: never in a browser page',
  });
  assert.deepEqual(result.violations, [
    { path: '/customer/email', code: 'VALIDATION_ERROR', message: 'body/customer/email must match format "email"', rule: 'format', params: { format: 'email' } },
    {
      path: '/message/content', code: 'VALIDATION_ERROR', message: 'body/message/content must NOT have more than 10000 characters',
      rule: 'maxLength', params: { limit: 10000 },
    },
  ]);
  assert.deepEqual(result.guard, { isTicketwire: true, isError: true, kind: 'config', leaks: false });
  assert.equal(result.consented.url, 'https://gateway.mava.app/api/tickets?startDate=2026-01-01&endDate=2026-02-01');
  assert.deepEqual(result.sent, [{ url: 'https://relay.example.com/mava/api/ticket', method: 'POST', body: '{"customer":{"email":"jane@example.com"}}' }]);
  assert.deepEqual(result.created, { ticket: { _id: 't1' } });
  await page.close();
});
