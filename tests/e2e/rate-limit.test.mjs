// The client-side rate limiter over real HTTP: it paces so the sandbox never answers 429,
// is shared by every client with the key, can fail fast, can be replaced, and a 429 that
// still arrives slows it down.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { MavaClient } from 'ticketwire';
import { KEYS, startSandbox } from './sandbox.mjs';

const QUOTA = { requests: 5, windowMs: 1000 };
let sandbox;
before(async () => { sandbox = await startSandbox(['--mava-limit', '5', '--mava-window-ms', '1000']); });
after(() => sandbox.stop());

function recorder() {
  const statuses = [];
  const fetch = async (url, init) => {
    const response = await globalThis.fetch(url, init);
    statuses.push({ status: response.status, at: Date.now() });
    return response;
  };
  return { fetch, statuses };
}

const client = (key, fetch, extra = {}) =>
  new MavaClient({ apiKey: key, baseUrl: `${sandbox.url}/mava`, fetch, rateLimitQuota: QUOTA, ...extra });

test('one client: concurrent calls are paced under the limit, with no 429', async () => {
  const { fetch, statuses } = recorder();
  const mava = client(`${KEYS.mava}`, fetch, { maxRetries: 0 });
  const started = Date.now();
  await Promise.all(Array.from({ length: 12 }, () => mava.listCategories()));
  assert.deepEqual(statuses.map((s) => s.status), Array(12).fill(200));
  assert.ok(Date.now() - started >= 2000, 'twelve calls at five per second take two windows');
});

test('clients sharing a key share one limiter', async () => {
  await new Promise((resolve) => setTimeout(resolve, 1100)); // let the sandbox's window empty
  const { fetch, statuses } = recorder();
  const clients = [1, 2, 3].map(() => client(KEYS.mava, fetch, { maxRetries: 0 }));
  await Promise.all(clients.flatMap((c) => [c.listAgents(), c.listAgents(), c.listAgents(), c.listAgents()]));
  assert.deepEqual(statuses.map((s) => s.status), Array(12).fill(200));
});

test('fail-fast mode refuses at once with rate_limited and retryAfterMs, sending nothing', async () => {
  const { fetch, statuses } = recorder();
  const mava = client(KEYS.mavaGlobex, fetch, { rateLimit: 'fail' });
  for (let i = 0; i < 5; i++) await mava.listCategories();
  const error = await mava.listCategories().then(() => assert.fail('expected a refusal'), (e) => e);
  assert.equal(error.kind, 'rate_limited');
  assert.equal(error.status, undefined);
  assert.ok(error.retryAfterMs > 0 && error.retryAfterMs <= 1100, String(error.retryAfterMs));
  assert.equal(statuses.length, 5);
});

test('a caller-supplied limiter is asked before every attempt, and can refuse', async () => {
  const asked = [];
  const limiter = { acquire: async (call) => { asked.push(call); } };
  await sandbox.control('faults', { provider: 'mava', path: '/api/agents', status: 503, retryAfter: '0' });
  const mava = new MavaClient({ apiKey: 'sandbox_mava_globex', baseUrl: `${sandbox.url}/mava`, rateLimit: limiter });
  await new Promise((resolve) => setTimeout(resolve, 1100));
  await mava.listAgents();
  // The limiter hears which key's window to count in as a hash, never the key.
  const keyHash = asked[0]?.keyHash;
  assert.match(keyHash, /^[0-9a-f]{16}$/);
  assert.deepEqual(asked, [{ provider: 'mava', operation: 'listAgents', keyHash }, { provider: 'mava', operation: 'listAgents', keyHash }]);
  assert.ok(!JSON.stringify(asked).includes('sandbox_mava_globex'));
  const { fetch, statuses } = recorder();
  const refusing = new MavaClient({ apiKey: 'sk_test_key', baseUrl: `${sandbox.url}/mava`, fetch, rateLimit: { acquire: async () => { throw new Error('quota'); } } });
  const error = await refusing.listAgents().then(() => assert.fail('expected a refusal'), (e) => e);
  assert.deepEqual([error.kind, error.message], ['rate_limited', 'Mava listAgents: the rate limiter refused the call']);
  assert.equal(statuses.length, 0);
});

test('a 429 that still arrives holds every client with the key for its Retry-After', async () => {
  await new Promise((resolve) => setTimeout(resolve, 1100));
  await sandbox.control('faults', { provider: 'mava', path: '/api/categories', status: 429, retryAfter: '1' });
  const { fetch, statuses } = recorder();
  const first = client('sandbox_mava_acme', fetch, { maxRetries: 0 });
  const error = await first.listCategories().then(() => assert.fail('expected the 429'), (e) => e);
  assert.equal(error.kind, 'rate_limited');
  const second = client('sandbox_mava_acme', fetch);
  await second.listAgents();
  assert.deepEqual(statuses.map((s) => s.status), [429, 200]);
  assert.ok(statuses[1].at - statuses[0].at >= 950, `the next call waited ${statuses[1].at - statuses[0].at} ms`);
});
