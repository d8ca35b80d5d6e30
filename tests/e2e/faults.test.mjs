// Injected faults over real HTTP, as one attempt meets them (maxRetries: 0; the retries
// themselves are in resilience.test.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { MavaClient, TickitiClient } from 'ticketwire';
import { KEYS, startSandbox } from './sandbox.mjs';

let sandbox;
let mava;
before(async () => {
  sandbox = await startSandbox(['--mava-limit', '3', '--mava-window-ms', '60000']);
  mava = new MavaClient({ apiKey: KEYS.mava, baseUrl: `${sandbox.url}/mava`, timeoutMs: 2000, maxRetries: 0 });
});
after(() => sandbox.stop());

const rejection = (promise) => promise.then(() => assert.fail('expected a rejection'), (error) => error);
const TICKET = { customer: { email: 'fault@acme.example' }, message: { content: 'x' } };

test('a 503 with Retry-After is a typed error that carries the delay', async () => {
  await sandbox.control('faults', { provider: 'mava', path: '/api/ticket', status: 503, retryAfter: '2' });
  const error = await rejection(mava.createTicket(TICKET));
  assert.deepEqual([error.kind, error.status, error.code, error.retryAfterMs], ['api', 503, 'Service Unavailable', 2000]);
  assert.equal((await sandbox.counts()).mava_tickets, 0);
});

test('a failure after the writes rolls back: no customer, ticket or message', async () => {
  await sandbox.control('faults', { provider: 'mava', path: '/api/ticket', status: 500, afterWrites: true });
  const error = await rejection(mava.createTicket(TICKET));
  assert.deepEqual([error.status, error.code], [500, 'INTERNAL_ERROR']);
  const counts = await sandbox.counts();
  assert.deepEqual([counts.mava_customers, counts.mava_tickets, counts.mava_messages], [0, 0, 0]);
});

test('a connection dropped after commit is a network error, and the ticket exists once', async () => {
  await sandbox.control('faults', { provider: 'tickiti', drop: 'after_commit' });
  const tickiti = new TickitiClient({ apiKey: KEYS.tickiti, baseUrl: `${sandbox.url}/tickiti`, maxRetries: 0 });
  const error = await rejection(tickiti.createTicketUnified({ originator_email_address: 'a@b.co', content: 'c' }));
  assert.equal(error.kind, 'network');
  assert.equal((await sandbox.counts()).tickiti_tickets, 1);
});

test('a delay past the timeout is a timeout error', async () => {
  await sandbox.control('faults', { provider: 'mava', path: '/api/agents', delayMs: 3000 });
  const fast = new MavaClient({ apiKey: KEYS.mavaGlobex, baseUrl: `${sandbox.url}/mava`, timeoutMs: 200, maxRetries: 0 });
  const error = await rejection(fast.listAgents());
  assert.deepEqual([error.kind, error.message], ['timeout', 'Mava listAgents timed out after 200 ms']);
  await sandbox.control('faults', undefined, 'DELETE');
});

test('truncated and non-JSON bodies', async () => {
  await sandbox.control('faults', { provider: 'mava', path: '/api/categories', truncate: true });
  const truncated = await rejection(mava.listCategories());
  assert.deepEqual([truncated.kind, truncated.status, truncated.code], ['api', 200, 'INVALID_RESPONSE']);
  await sandbox.control('faults', { provider: 'mava', path: '/api/categories', status: 502, nonJson: true });
  const html = await rejection(mava.listCategories());
  assert.deepEqual([html.status, html.code, html.body], [502, undefined, '<html><body><h1>502 Bad Gateway</h1></body></html>']);
});

test("past Mava's limit the sandbox answers 429 with Retry-After", async () => {
  const limited = new MavaClient({ apiKey: KEYS.mavaGlobex, baseUrl: `${sandbox.url}/mava`, maxRetries: 0 });
  const results = [];
  for (let i = 0; i < 4; i++) results.push(await limited.listCategories().then(() => 'ok', (e) => e));
  const last = results.pop();
  assert.equal(last.kind, 'rate_limited');
  assert.equal(last.status, 429);
  assert.ok(last.retryAfterMs > 0 && last.retryAfterMs <= 60_000, String(last.retryAfterMs));
});
