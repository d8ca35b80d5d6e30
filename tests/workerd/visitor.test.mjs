// The visitor limit in the real workerd runtime (CONTRACT §6, issue 21 item 3): four isolates of
// one relay Worker share one Durable Object, and the visitor limit is counted there, once for
// all of them. A visitor is its cf-connecting-ip (no visitorKey), an IPv6 one by its /64.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { KEYS, startSandbox } from '../e2e/sandbox.mjs';
import { bundle, start, worker } from './workerd.mjs';

const ORIGIN = 'https://shop.example';
const LIMIT = { requests: 5, windowMs: 60_000 };
const NAMES = ['relay1', 'relay2', 'relay3', 'relay4'];
let sandbox;
let workerd;

before(async () => {
  sandbox = await startSandbox();
  const dir = fileURLToPath(new URL('./visitor/', import.meta.url));
  const relay = bundle(dir, ['index.mjs', '--name', 'visitor', '--compatibility-date', '2026-04-01']);
  const bindings = {
    ALLOWED_ORIGIN: ORIGIN, MAVA_API_KEY: KEYS.mava, MAVA_BASE_URL: `${sandbox.url}/mava`,
    VISITOR_LIMIT: `${LIMIT.requests}/${LIMIT.windowMs}`,
  };
  const durable = (i) => ({
    durableObjects: { TICKETWIRE_LIMITER: i === 0 ? 'TicketwireRateLimitObject' : { className: 'TicketwireRateLimitObject', scriptName: NAMES[0] } },
  });
  workerd = await start(NAMES.map((name, i) => worker(name, relay.scriptPath, { bindings, ...durable(i) })), { stripCfConnectingIp: false });
});

after(async () => {
  await workerd?.dispose();
  await sandbox?.stop();
});

/** Sends `calls` creates at once from the visitors `ips` (in turn), over the four isolates. */
async function creates(calls, ips) {
  return Promise.all(Array.from({ length: calls }, async (_, i) => {
    const response = await workerd.fetch(NAMES[i % NAMES.length], '/mava/api/ticket', {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/json', 'cf-connecting-ip': ips[i % ips.length] },
      body: JSON.stringify({ customer: { email: `visitor${i}@acme.example` }, message: { content: `call ${i}` } }),
    });
    const body = await response.json();
    return { status: response.status, error: body.error, retryAfter: response.headers.get('retry-after') };
  }));
}

/** Asserts `LIMIT.requests` × 201 and `extra` × 429 RATE_LIMITED with a retry-after within the window. */
function assertLimited(answers, extra) {
  const created = answers.filter((a) => a.status === 201);
  const refused = answers.filter((a) => a.status !== 201);
  assert.equal(created.length, LIMIT.requests, JSON.stringify(answers));
  assert.equal(refused.length, extra, JSON.stringify(answers));
  for (const answer of refused) {
    assert.equal(answer.status, 429, JSON.stringify(answer));
    assert.equal(answer.error, 'RATE_LIMITED');
    const seconds = Number(answer.retryAfter);
    assert.ok(Number.isInteger(seconds) && seconds >= 1 && seconds <= LIMIT.windowMs / 1000 + 1, `retry-after ${answer.retryAfter}`);
  }
}

test('one visitor through four isolates gets its visitor limit once, not once per isolate', async () => {
  await sandbox.control('reset');
  const answers = await creates(LIMIT.requests + 3, ['203.0.113.9']);
  assertLimited(answers, 3);
  assert.equal((await sandbox.counts()).mava_tickets, LIMIT.requests, 'nothing of the refused ones reached the sandbox');
  // Every isolate now refuses that visitor.
  const again = await creates(NAMES.length, ['203.0.113.9']);
  assert.deepEqual(again.map((a) => [a.status, a.error]), NAMES.map(() => [429, 'RATE_LIMITED']));
});

test('two IPv6 addresses of one /64 are one visitor across the isolates', async () => {
  await sandbox.control('reset');
  const answers = await creates(LIMIT.requests + 4, ['2001:db8:aa:bb::1', '2001:db8:aa:bb:ffff:ffff:ffff:fffe']);
  assertLimited(answers, 4);
  assert.equal((await sandbox.counts()).mava_tickets, LIMIT.requests);
  const [otherPrefix] = await creates(1, ['2001:db8:aa:bc::1']);
  assert.equal(otherPrefix.status, 201, 'another /64 is another visitor');
});

test('with no visitorKey a visitor is its cf-connecting-ip: two IPs are two visitors', async () => {
  await sandbox.control('reset');
  const answers = await creates(2 * LIMIT.requests + 2, ['198.51.100.1', '198.51.100.2']);
  const byIp = (ip) => answers.filter((_, i) => i % 2 === ip).map((a) => a.status).sort();
  const each = [...Array(LIMIT.requests).fill(201), 429];
  assert.deepEqual([byIp(0), byIp(1)], [each, each]);
  assert.equal((await sandbox.counts()).mava_tickets, 2 * LIMIT.requests);
});
