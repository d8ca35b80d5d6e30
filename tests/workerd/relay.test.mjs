// The package inside the real workerd runtime: a Worker that validates, prepares and calls the
// sandbox, and the README's relay Worker (examples/worker) with its main refusals, real calls
// through it to the sandbox, and one Durable Object limiter shared by four isolates.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { KEYS, startSandbox } from '../e2e/sandbox.mjs';
import { EXAMPLE_WORKER, bundle, start, worker } from './workerd.mjs';

const ORIGIN = 'https://shop.example';
const CAPABILITY_SECRET = 's'.repeat(40);
let sandbox;
let recorder;
let workerd;
const recorded = [];

before(async () => {
  sandbox = await startSandbox(['--mava-limit', '10', '--mava-window-ms', '2000']);
  // An upstream that records what reaches it, and echoes the key it was sent.
  recorder = http.createServer((request, response) => {
    recorded.push({ url: request.url, headers: request.headers });
    response.writeHead(401, { 'content-type': 'application/json', 'set-cookie': 'upstream=1; Path=/', 'x-powered-by': 'upstream' });
    response.end(JSON.stringify({ error: `token ${request.headers['x-auth-token']} is revoked` }));
  });
  await new Promise((resolve) => recorder.listen(0, '127.0.0.1', resolve));
  const recorderUrl = `http://127.0.0.1:${recorder.address().port}`;

  const relay = bundle(EXAMPLE_WORKER);
  console.log(`workerd: the relay Worker's upload (wrangler deploy --dry-run): ${relay.upload}`);
  const smokeDir = fileURLToPath(new URL('./smoke/', import.meta.url));
  const smoke = bundle(smokeDir, ['index.mjs', '--name', 'smoke', '--compatibility-date', '2026-04-01']);
  const env = (extra) => ({
    ALLOWED_ORIGINS: ORIGIN,
    CAPABILITY_SECRET,
    MAVA_API_KEY: KEYS.mava,
    MAVA_BASE_URL: `${sandbox.url}/mava`,
    MAVA_RATE_LIMIT: '10/2000',
    HELPWAVE_API_KEY: KEYS.helpwave,
    HELPWAVE_BASE_URL: `${sandbox.url}/helpwave`,
    ...extra,
  });
  const limiter = { TICKETWIRE_LIMITER: { className: 'TicketwireRateLimitObject', scriptName: 'relay' } };
  workerd = await start([
    worker('relay', relay.scriptPath, { bindings: env({}), durableObjects: { TICKETWIRE_LIMITER: 'TicketwireRateLimitObject' } }),
    // Three more isolates of the same Worker, sharing the first one's Durable Object.
    ...[2, 3, 4].map((n) => worker(`relay${n}`, relay.scriptPath, { bindings: env({}), durableObjects: limiter })),
    worker('echo', relay.scriptPath, { bindings: env({ MAVA_BASE_URL: recorderUrl, HELPWAVE_API_KEY: '' }), durableObjects: limiter }),
    worker('smoke', smoke.scriptPath, { bindings: { MAVA_KEY: KEYS.mava, SANDBOX_URL: sandbox.url } }),
  ], { stripCfConnectingIp: false });
});

after(async () => {
  await workerd?.dispose();
  recorder?.close();
  await sandbox?.stop();
});

const post = (path, body, headers = {}) => ({
  method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body),
});

test('in workerd, the package validates (its violations from counted text), prepares, calls the sandbox and throws typed errors', async () => {
  await sandbox.control('reset');
  const response = await workerd.fetch('smoke', '/');
  const result = await response.json();
  assert.deepEqual(result.violations, [{
    path: '/customer/email', code: 'VALIDATION_ERROR', message: 'body/customer/email must match format "email"', rule: 'format', params: { format: 'email' },
  }]);
  assert.deepEqual(result.parsed, ['{"format":"email"}'], 'only the params went through JSON.parse, not the list');
  assert.deepEqual(result.prepared, {
    method: 'POST', url: `${sandbox.url}/mava/api/ticket`,
    headers: { 'x-auth-token': KEYS.mava, 'content-type': 'application/json' }, body: '{"customerId":"645abc1234567890abcdef12"}',
  });
  assert.match(result.ticket.id, /^[0-9a-f]{24}$/);
  assert.equal(result.ticket.content, 'From workerd');
  assert.deepEqual(result.error, { isTicketwire: true, kind: 'api', status: 401 });
  assert.equal((await sandbox.counts()).mava_tickets, 1);
});

test('in workerd, the relay refuses what §6 refuses, and nothing reaches upstream', async () => {
  recorded.length = 0;
  const refusal = async (init, path, status, code) => {
    const response = await workerd.fetch('echo', `${path}`, init);
    assert.deepEqual([response.status, (await response.json()).error], [status, code], `${path}`);
  };
  const ticket = { customer: { email: 'jane@example.com' } };
  await refusal({ ...post('/mava/api/ticket', ticket), headers: { 'content-type': 'application/json' } }, '/mava/api/ticket', 403, 'ORIGIN_NOT_ALLOWED');
  await refusal(post('/mava/api/ticket', ticket, { origin: 'https://evil.example' }), '/mava/api/ticket', 403, 'ORIGIN_NOT_ALLOWED');
  await refusal(post('/mava/api%2fticket', ticket), '/mava/api%2fticket', 404, 'NOT_FOUND');
  await refusal({ method: 'GET', headers: { origin: ORIGIN } }, '/mava/api/tickets', 404, 'NOT_FOUND');
  await refusal(post('/mava/api/ticket', ticket, { 'content-type': 'text/plain' }), '/mava/api/ticket', 415, 'UNSUPPORTED_MEDIA_TYPE');
  await refusal({ ...post('/mava/api/ticket', {}), body: JSON.stringify({ pad: 'x'.repeat(70_000) }) }, '/mava/api/ticket', 413, 'BODY_TOO_LARGE');
  await refusal(post('/mava/api/ticket', { customerId: 'nope' }), '/mava/api/ticket', 400, 'VALIDATION_ERROR');
  await refusal(post('/mava/api/ticket', { ...ticket, status: 'Resolved' }), '/mava/api/ticket', 403, 'FIELD_NOT_ALLOWED');
  await refusal(post('/mava/api/ticket', { customerId: '645abc1234567890abcdef12' }), '/mava/api/ticket', 403, 'CAPABILITY_REQUIRED');
  await refusal({ ...post('/mava/api/message', { ticketId: '6650a1b2c3d4e5f678901234', content: 'x' }), method: 'PUT' }, '/mava/api/message', 404, 'NOT_FOUND');
  const preflight = await workerd.fetch('echo', '/mava/api/ticket', {
    method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'POST' },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), ORIGIN);
  assert.equal(recorded.length, 0);
});

test('in workerd, a key the upstream echoes never comes back, nor does its set-cookie', async () => {
  recorded.length = 0;
  const response = await workerd.fetch('echo', '/mava/api/ticket', post('/mava/api/ticket', { customer: { email: 'jane@example.com' } }));
  const text = await response.text();
  assert.equal(response.status, 401);
  assert.equal(text, '{"error":"token [redacted] is revoked"}');
  assert.equal(response.headers.get('set-cookie'), null);
  assert.equal(response.headers.get('x-powered-by'), null);
  assert.equal(recorded.length, 1);
  assert.equal(recorded[0].headers['x-auth-token'], KEYS.mava, 'the relay added its key upstream');
});

test('through the relay in workerd to the sandbox: a ticket, then a comment with its capability', async () => {
  await sandbox.control('reset');
  const identified = await workerd.fetch('relay', '/helpwave/api/v1/customers', post('', { email: 'jane@example.com' }));
  assert.equal(identified.status, 201, 'a new customer');
  const { customer } = await identified.json();
  assert.deepEqual(Object.keys(customer), ['id'], 'an unverified visitor reads only the id');
  const created = await workerd.fetch('relay', '/helpwave/api/v1/tickets', post('', { customerId: customer.id, Channel: 'Website', lastMessage: 'Where is my order?' }, { 'x-ticketwire-capability': identified.headers.get('x-ticketwire-capability') }));
  assert.equal(created.status, 201);
  const { ticket } = await created.json();
  const capability = created.headers.get('x-ticketwire-capability');
  assert.match(capability, /^tw1\.\d+\.[A-Za-z0-9_-]{43}$/);
  assert.equal(created.headers.get('access-control-expose-headers'), 'retry-after, x-ticketwire-capability, x-ticketwire-socket');
  const comment = (id, token) => workerd.fetch('relay', `/helpwave/api/v1/tickets/${id}/comments`, post('', { text: 'Any news?' }, token ? { 'x-ticketwire-capability': token } : {}));
  assert.equal((await comment(ticket.id, capability)).status, 201);
  assert.equal((await sandbox.counts()).helpwave_comments, 1);
  const forged = await comment(ticket.id, `${capability.slice(0, -1)}${capability.endsWith('A') ? 'B' : 'A'}`);
  assert.deepEqual([forged.status, (await forged.json()).error], [403, 'CAPABILITY_REQUIRED']);
  const other = await comment(String(BigInt(ticket.id) + 1n), capability);
  assert.deepEqual([other.status, (await other.json()).error], [403, 'CAPABILITY_REQUIRED']);
  assert.equal((await sandbox.counts()).helpwave_comments, 1, 'no refused comment reached the sandbox');
});

test('four isolates share one Durable Object limiter: 40 creates of 40 visitors at 10 per 2 s, no 429', async () => {
  await sandbox.control('reset');
  const names = ['relay', 'relay2', 'relay3', 'relay4'];
  const started = Date.now();
  const statuses = await Promise.all(Array.from({ length: 40 }, (_, i) => workerd
    // One visitor each: the visitor limit (30 per minute, counted in the same object) stays out of it.
    .fetch(names[i % 4], '/mava/api/ticket', post('', { customer: { email: `do${i}@acme.example` }, message: { content: `call ${i}` } }, { 'cf-connecting-ip': `198.51.100.${i}` }))
    .then((r) => r.status)));
  const elapsed = Date.now() - started;
  assert.deepEqual([...new Set(statuses)], [201]);
  assert.equal((await sandbox.counts()).mava_tickets, 40);
  // A sliding window of 10 per 2 s lets 40 through in no less than 6 s.
  assert.ok(elapsed >= 5_900, `elapsed ${elapsed} ms`);
});
