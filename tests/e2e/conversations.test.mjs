// Live conversations end to end over real HTTP (CONTRACT §7): the sandbox sends Mava's
// webhooks, sealed as Mava seals them, to a relay served by node:http (`ticketwire/node`); a
// visitor files a ticket through that relay and follows it with `client.conversation`. An
// agent's reply posted in the sandbox reaches the visitor, an internal note never does, a
// duplicated delivery shows once, a tampered one is refused, and another visitor's capability
// reads nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { MavaClient, createRelay } from 'ticketwire';
import { toNodeHandler, nodeVisitorKey } from 'ticketwire/node';
import { KEYS, startSandbox } from './sandbox.mjs';

const ORIGIN = 'https://shop.example';
let sandbox;
let server;
let relayUrl;
const deliveries = [];

before(async () => {
  sandbox = await startSandbox();
  const { signingKey } = await sandbox.control('webhooks', undefined, 'GET');
  const relay = createRelay({
    mava: { apiKey: KEYS.mava, baseUrl: `${sandbox.url}/mava`, webhookSigningKey: signingKey },
    allowedOrigins: [ORIGIN],
    capabilitySecret: 'e2e-conversations-capability-secret-0123',
    visitorKey: nodeVisitorKey,
  });
  const handler = toNodeHandler(relay);
  server = http.createServer((req, res) => {
    if (req.url === '/mava/webhooks') res.on('finish', () => deliveries.push(res.statusCode));
    handler(req, res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  relayUrl = `http://127.0.0.1:${server.address().port}`;
  await sandbox.control('webhooks', { url: `${relayUrl}/mava/webhooks`, retryMs: 200 });
});

after(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await sandbox?.stop();
});

/** The visitor's client: no key, the relay as its base URL, the page's origin on every call. */
const visitor = () => new MavaClient({
  baseUrl: `${relayUrl}/mava`,
  fetch: (url, init) => fetch(url, { ...init, headers: { ...init.headers, origin: ORIGIN } }),
});

/** Everything the conversation yields within `ms`, then stops following. */
async function follow(client, ticketId, capability, ms, after) {
  const seen = [];
  const signal = AbortSignal.timeout(ms);
  for await (const batch of client.conversation(ticketId, { capability, signal, after })) {
    seen.push(...batch.messages);
  }
  return seen;
}

const reply = (ticketId, content, internal = false) => sandbox.control(`mava/tickets/${ticketId}/messages`, { content, internal });

test("an agent's reply reaches the visitor who filed the ticket; an internal note never does", async () => {
  const client = visitor();
  const { ticket, capability } = await client.createTicket({ customer: { email: 'jane@example.com' }, message: { content: 'Where is my order?' } });
  const started = Date.now();
  const following = follow(client, ticket._id, capability, 4_000);
  await new Promise((resolve) => setTimeout(resolve, 300));
  await reply(ticket._id, 'Only staff should read this', true);
  await reply(ticket._id, 'It ships today.');
  const messages = await following;
  const texts = messages.map((m) => `${m.from}: ${m.text}`);
  assert.ok(texts.includes('agent: It ships today.'), JSON.stringify(texts));
  assert.ok(!texts.some((t) => t.includes('Only staff')), JSON.stringify(texts));
  assert.equal(new Set(messages.map((m) => m.id)).size, messages.length, 'each message once');
  const arrived = messages.find((m) => m.text === 'It ships today.');
  assert.ok(arrived && Date.now() - started < 4_500);
  // Another visitor's capability reads nothing of this thread.
  const other = await client.createTicket({ customer: { email: 'other@example.com' }, message: { content: 'Hi' } });
  const refused = await follow(client, ticket._id, other.capability, 1_000).then(() => null, (e) => e);
  assert.deepEqual([refused?.kind, refused?.status, refused?.code], ['api', 403, 'CAPABILITY_REQUIRED']);
});

test('a duplicated delivery shows once, a tampered one is refused and shows nothing, a resumed follow starts after its cursor', async () => {
  const client = visitor();
  const { ticket, capability } = await client.createTicket({ customer: { email: 'sam@example.com' }, message: { content: 'Hello' } });
  await sandbox.control('webhooks', { faults: { duplicate: 1 } });
  await reply(ticket._id, 'Once, even when sent twice.');
  await sandbox.control('webhooks', { faults: { tampered: 1 } });
  deliveries.length = 0;
  await reply(ticket._id, 'Tampered on the way.');
  await new Promise((resolve) => setTimeout(resolve, 1_500)); // the tampered one and its retries
  const messages = await follow(client, ticket._id, capability, 1_500);
  const texts = messages.map((m) => m.text);
  assert.equal(texts.filter((t) => t === 'Once, even when sent twice.').length, 1, JSON.stringify(texts));
  assert.ok(!texts.includes('Tampered on the way.'), JSON.stringify(texts));
  assert.ok(deliveries.includes(401), `the tampered delivery was refused: ${deliveries}`);
  // What a reload resumes from: nothing already shown comes again.
  const batches = [];
  for await (const batch of client.conversation(ticket._id, { capability, signal: AbortSignal.timeout(1_000) })) batches.push(batch);
  const cursor = batches.at(-1)?.cursor;
  await reply(ticket._id, 'After the reload.');
  const resumed = await follow(client, ticket._id, capability, 2_000, cursor);
  assert.deepEqual(resumed.map((m) => m.text).filter((t) => t !== 'Tampered on the way.'), ['After the reload.']);
});
