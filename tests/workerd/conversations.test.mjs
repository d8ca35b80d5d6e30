// Live conversations in Workers (CONTRACT §7.2): Mava's webhooks from the sandbox reach the
// relay in workerd, which hands each public message to the ticket's conversation Durable
// Object; a page in headless Chromium follows the ticket with `client.conversation`, which
// reads once (the backlog, and the relay's offer) and then listens on the object's WebSocket.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../chromium.mjs';
import { KEYS, startSandbox } from '../e2e/sandbox.mjs';
import { bundle, start, worker } from './workerd.mjs';

const PKG = fileURLToPath(new URL('../../pkg/', import.meta.url));
const TYPES = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm' };
let sandbox;
let pages;
let workerd;
let browser;
let pageOrigin;

before(async () => {
  sandbox = await startSandbox();
  const { signingKey } = await sandbox.control('webhooks', undefined, 'GET');
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
  const dir = fileURLToPath(new URL('./conversations/', import.meta.url));
  const relay = bundle(dir, ['index.mjs', '--name', 'conversations', '--compatibility-date', '2026-04-01']);
  workerd = await start([worker('relay', relay.scriptPath, {
    bindings: {
      ALLOWED_ORIGIN: pageOrigin,
      CAPABILITY_SECRET: 'workerd-conversations-secret-0123456789',
      MAVA_API_KEY: KEYS.mava,
      MAVA_BASE_URL: `${sandbox.url}/mava`,
      MAVA_WEBHOOK_SIGNING_KEY: signingKey,
    },
    durableObjects: { TICKETWIRE_CONVERSATIONS: 'TicketwireConversationObject' },
  })]);
  await sandbox.control('webhooks', { url: `${workerd.url}/mava/webhooks`, retryMs: 200 });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await workerd?.dispose();
  pages?.close();
  await sandbox?.stop();
});

const reply = (ticketId, content, internal = false) => sandbox.control(`mava/tickets/${ticketId}/messages`, { content, internal });

/** A visitor's page: files a ticket (or takes `ticket`), then follows it; `window.seen` fills. */
async function visitorPage(ticket) {
  const page = await browser.newPage();
  const sockets = [];
  page.on('websocket', (socket) => sockets.push(socket.url()));
  await page.goto(`${pageOrigin}/`);
  const filed = await page.evaluate(async ({ relayUrl, ticket }) => {
    const { MavaClient } = await import('/browser.mjs');
    const mava = new MavaClient({ baseUrl: `${relayUrl}/mava` });
    const { ticket: created, capability } = ticket ?? await mava.createTicket({ customer: { email: 'jane@example.com' }, message: { content: 'Where is my order?' } })
      .then((r) => ({ ticket: r.ticket, capability: r.capability }));
    window.seen = [];
    window.stop = new AbortController();
    window.following = (async () => {
      try {
        for await (const batch of mava.conversation(created._id, { capability, signal: window.stop.signal })) {
          for (const m of batch.messages) window.seen.push({ id: m.id, from: m.from, text: m.text, at: Date.now() });
        }
        return 'ended';
      } catch (error) {
        return `${error.kind} ${error.status} ${error.code}`;
      }
    })();
    return { ticket: created, capability };
  }, { relayUrl: workerd.url, ticket });
  return { page, sockets, ...filed };
}

const seen = (page) => page.evaluate(() => window.seen.map((m) => `${m.from}: ${m.text}`));

async function until(check, ms = 5_000) {
  const started = Date.now();
  while (Date.now() - started < ms) {
    if (await check()) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Infinity;
}

test("an agent's reply reaches the visitor over the ticket object's WebSocket; an internal note never does", async () => {
  const first = await visitorPage();
  const { page, sockets, ticket } = first;
  assert.ok(await until(() => sockets.length === 1) < 5_000, 'the client opened the socket the relay offered');
  assert.equal(sockets[0], `${workerd.url.replace('http://', 'ws://')}/mava/conversations/${ticket._id}`);
  await new Promise((resolve) => setTimeout(resolve, 300)); // the socket's first message is in
  await reply(ticket._id, 'Only staff should read this', true);
  const sent = Date.now();
  await reply(ticket._id, 'It ships today.');
  const took = await until(async () => (await seen(page)).includes('agent: It ships today.'));
  assert.ok(took < 2_000, `the reply arrived in ${took} ms`);
  const arrivedAt = await page.evaluate(() => window.seen.find((m) => m.text === 'It ships today.').at);
  assert.ok(arrivedAt - sent < 2_000);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const asked = 'customer: Where is my order?';
  assert.deepEqual(await seen(page), [asked, 'agent: It ships today.'], 'no internal note, each message once');
  assert.equal(sockets.length, 1, 'one socket: no reconnect, no poll loop');

  // A second visitor with the first ticket's id and its own ticket's capability reads nothing.
  const other = await visitorPage();
  const forged = await visitorPage({ ticket, capability: other.capability });
  assert.equal(await forged.page.evaluate(() => window.following), 'api 403 CAPABILITY_REQUIRED');
  assert.deepEqual(await seen(forged.page), []);

  // A duplicated delivery shows once; a tampered one is refused and shows nothing.
  await sandbox.control('webhooks', { faults: { duplicate: 1 } });
  await reply(ticket._id, 'Once, even when sent twice.');
  await sandbox.control('webhooks', { faults: { tampered: 1 } });
  await reply(ticket._id, 'Tampered on the way.');
  await until(async () => (await seen(page)).length >= 3);
  await new Promise((resolve) => setTimeout(resolve, 1_000)); // the tampered one and its retries
  const thread = [asked, 'agent: It ships today.', 'agent: Once, even when sent twice.'];
  assert.deepEqual(await seen(page), thread);

  // A reload: a new follow with the same capability gets the thread from the object, once.
  const reloaded = await visitorPage({ ticket, capability: first.capability });
  assert.ok(await until(async () => (await seen(reloaded.page)).length === 3) < 5_000);
  assert.deepEqual(await seen(reloaded.page), thread);
  await page.evaluate(() => window.stop.abort());
  assert.equal(await page.evaluate(() => window.following), 'ended');
  await reloaded.page.close();
  for (const p of [page, other.page, forged.page]) await p.close();
});

test("a socket without a verified capability, or silent for 10 s, is closed with 4003; another origin's is refused", async () => {
  const { WebSocket } = await import('undici'); // Node 20 has no global WebSocket
  const origin = pageOrigin;
  const created = await workerd.fetch('relay', '/mava/api/ticket', {
    method: 'POST', headers: { origin, 'content-type': 'application/json' },
    body: JSON.stringify({ customer: { email: 'sam@example.com' }, message: { content: 'Hello' } }),
  });
  const { ticket } = await created.json();
  const capability = created.headers.get('x-ticketwire-capability');
  const url = `${workerd.url.replace('http://', 'ws://')}/mava/conversations/${ticket._id}`;
  const closed = (hello, headers = { origin }) => new Promise((resolve) => {
    const socket = new WebSocket(url, { headers });
    const frames = [];
    const opened = Date.now();
    socket.onopen = () => hello && socket.send(hello);
    socket.onmessage = (event) => frames.push(event.data);
    socket.onerror = () => {};
    socket.onclose = (event) => resolve({ code: event.code, frames, ms: Date.now() - opened });
  });
  const [unread, silent, garbage, foreign] = await Promise.all([
    // A valid capability the relay never verified on a read: the object does not know it yet.
    closed(JSON.stringify({ capability, after: null })),
    // In Chromium (undici hears the close of a socket closed from a timer only ~10 s late).
    browser.newPage().then(async (page) => {
      await page.goto(`${pageOrigin}/`);
      const result = await page.evaluate((url) => new Promise((resolve) => {
        const socket = new WebSocket(url);
        const opened = Date.now();
        socket.onclose = (event) => resolve({ code: event.code, frames: [], ms: Date.now() - opened });
      }), url);
      await page.close();
      return result;
    }),
    closed('{"capability":"tw1.1.forged"}'),
    closed(null, { origin: 'https://evil.example' }),
  ]);
  assert.deepEqual([unread.code, unread.frames], [4003, []]);
  assert.deepEqual([garbage.code, garbage.frames], [4003, []]);
  assert.equal(silent.code, 4003);
  assert.ok(silent.ms >= 9_500 && silent.ms < 14_000, `closed after ${silent.ms} ms`);
  assert.equal(foreign.code, 1006, 'the upgrade itself was refused (403): no socket');
  // Once read through the relay (which verifies it), the same capability opens the socket.
  const read = await workerd.fetch('relay', `/mava/conversations/${ticket._id}`, { headers: { origin, 'x-ticketwire-capability': capability } });
  const { cursor } = await read.json();
  const socket = new WebSocket(url, { headers: { origin } });
  const first = await new Promise((resolve) => {
    socket.onopen = () => socket.send(JSON.stringify({ capability, after: cursor }));
    socket.onmessage = (event) => resolve(JSON.parse(event.data));
  });
  assert.deepEqual(first, { messages: [], cursor });
  socket.close();
});
