// Retries, the rate limiter, timeouts and aborts, over real HTTP against the sandbox's fault
// injection; duplicates are counted in the sandbox's database.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { MavaClient, TickitiClient, HelpWaveClient } from 'ticketwire';
import { KEYS, startSandbox } from './sandbox.mjs';

let sandbox;
before(async () => { sandbox = await startSandbox(['--mava-limit', '1000', '--mava-window-ms', '1000']); });
after(() => sandbox.stop());
beforeEach(async () => { await sandbox.control('reset'); });

const rejection = (promise) => promise.then(() => assert.fail('expected a rejection'), (error) => error);

/** A fetch that records each attempt's status (or failure) and headers. */
function recorder() {
  const attempts = [];
  const fetch = async (url, init) => {
    const attempt = { url, key: init.headers['idempotency-key'], at: Date.now() };
    attempts.push(attempt);
    try {
      const response = await globalThis.fetch(url, init);
      attempt.status = response.status;
      return response;
    } catch (error) {
      attempt.status = 'failed';
      throw error;
    }
  };
  return { fetch, attempts };
}

const mavaWith = (fetch, extra = {}) => new MavaClient({ apiKey: KEYS.mava, baseUrl: `${sandbox.url}/mava`, fetch, ...extra });
const TICKET = { customer: { email: 'retry@acme.example' }, message: { content: 'Once, please.' } };
const tickets = async () => (await sandbox.counts()).mava_tickets;

for (const status of [408, 429, 503]) {
  test(`${status} is retried, and the call succeeds once`, async () => {
    await sandbox.control('faults', { provider: 'mava', path: '/api/ticket', status, retryAfter: '0' });
    const { fetch, attempts } = recorder();
    const { ticket } = await mavaWith(fetch).createTicket(TICKET);
    assert.match(ticket._id, /^[0-9a-f]{24}$/);
    assert.deepEqual(attempts.map((a) => a.status), [status, 201]);
    assert.equal(await tickets(), 1);
  });
}

for (const status of [502, 504]) {
  test(`${status} is retried for an idempotent GET, never for a create (the gateway may answer after the commit)`, async () => {
    await sandbox.control('faults', { provider: 'mava', path: '/api/agents', status, retryAfter: '0' });
    const reads = recorder();
    const { agents } = await mavaWith(reads.fetch).listAgents();
    assert.equal(agents.length, 2);
    assert.deepEqual(reads.attempts.map((a) => a.status), [status, 200]);
    await sandbox.control('faults', { provider: 'mava', path: '/api/ticket', status, retryAfter: '0' });
    const creates = recorder();
    const error = await rejection(mavaWith(creates.fetch).createTicket(TICKET));
    assert.deepEqual([error.kind, error.status], ['api', status]);
    assert.deepEqual(creates.attempts.map((a) => a.status), [status]);
    assert.equal(await tickets(), 0);
  });
}

test('429 with Retry-After waits that long; without it, the backoff', async () => {
  await sandbox.control('faults', { provider: 'mava', path: '/api/agents', status: 429, retryAfter: '1' });
  const { fetch, attempts } = recorder();
  await mavaWith(fetch).listAgents();
  assert.ok(attempts[1].at - attempts[0].at >= 990, `waited ${attempts[1].at - attempts[0].at} ms`);
  await sandbox.control('faults', { provider: 'mava', path: '/api/agents', status: 429 });
  const second = recorder();
  await mavaWith(second.fetch).listAgents();
  const waited = second.attempts[1].at - second.attempts[0].at;
  assert.ok(waited >= 370 && waited < 900, `backoff 375–500 ms, waited ${waited}`);
});

test('Mava create: a 500 after rollback is retried, and exactly one ticket exists', async () => {
  await sandbox.control('faults', { provider: 'mava', path: '/api/ticket', status: 500, afterWrites: true });
  const { fetch, attempts } = recorder();
  await mavaWith(fetch).createTicket(TICKET);
  assert.deepEqual(attempts.map((a) => a.status), [500, 201]);
  const counts = await sandbox.counts();
  assert.deepEqual([counts.mava_tickets, counts.mava_customers, counts.mava_messages], [1, 1, 1]);
});

test('a 500 on a call that may have written is not retried', async () => {
  const mava = mavaWith();
  const { ticket } = await mava.createTicket(TICKET);
  await sandbox.control('faults', { provider: 'mava', path: '/api/message', status: 500, afterWrites: true });
  const { fetch, attempts } = recorder();
  const error = await rejection(mavaWith(fetch).sendMessage({ ticketId: ticket._id, content: 'x' }));
  assert.deepEqual([error.kind, error.status], ['api', 500]);
  assert.equal(attempts.length, 1);
});

test('a dropped connection after commit on a non-idempotent call: not retried, network error, one ticket', async () => {
  await sandbox.control('faults', { provider: 'mava', path: '/api/ticket', drop: 'after_commit' });
  const { fetch, attempts } = recorder();
  const error = await rejection(mavaWith(fetch).createTicket(TICKET));
  assert.equal(error.kind, 'network');
  assert.equal(attempts.length, 1);
  assert.equal(await tickets(), 1);
});

test('a dropped connection on an idempotent GET is retried', async () => {
  await sandbox.control('faults', { provider: 'mava', path: '/api/categories', drop: 'before_commit' });
  const { fetch, attempts } = recorder();
  const { categories } = await mavaWith(fetch).listCategories();
  assert.equal(categories.length, 2);
  assert.equal(attempts.length, 2);
});

test('Tickiti: a drop after commit is retried with the same key, and one ticket exists', async () => {
  await sandbox.control('faults', { provider: 'tickiti', path: '/api/create_ticket', drop: 'after_commit' });
  const { fetch, attempts } = recorder();
  const tickiti = new TickitiClient({ apiKey: KEYS.tickiti, baseUrl: `${sandbox.url}/tickiti`, fetch });
  const result = await tickiti.createTicket({ originator_email_address: 'a@b.co', data: { subject: 's', content: 'c' } });
  assert.equal(result.ok, true);
  assert.equal(attempts.length, 2);
  assert.equal(attempts[0].key, attempts[1].key, 'the same Idempotency-Key on every attempt');
  assert.match(attempts[0].key, /^[0-9a-f-]{36}$/);
  assert.equal((await sandbox.counts()).tickiti_tickets, 1);
});

test('409 idempotency_key_conflict is never retried', async () => {
  const { fetch, attempts } = recorder();
  const tickiti = new TickitiClient({ apiKey: KEYS.tickiti, baseUrl: `${sandbox.url}/tickiti`, fetch });
  await tickiti.createTicket({ originator_email_address: 'a@b.co', data: { subject: 'one', content: 'c' } }, { idempotencyKey: 'k-409' });
  const error = await rejection(tickiti.createTicket({ originator_email_address: 'a@b.co', data: { subject: 'two', content: 'c' } }, { idempotencyKey: 'k-409' }));
  assert.deepEqual([error.status, error.code], [409, 'idempotency_key_conflict']);
  assert.deepEqual(attempts.map((a) => a.status), [201, 409]);
});

test('HelpWave identify (find-or-create) is retried after a drop; create is not', async () => {
  await sandbox.control('faults', { provider: 'helpwave', path: '/api/v1/customers', drop: 'after_commit' });
  const { fetch, attempts } = recorder();
  const helpwave = new HelpWaveClient({ apiKey: KEYS.helpwave, baseUrl: `${sandbox.url}/helpwave`, fetch });
  const identified = await helpwave.identify({ email: 'again@acme.example' });
  assert.deepEqual([attempts.length, identified.existing], [2, true], 'the retry found the customer the first attempt created');
  await sandbox.control('faults', { provider: 'helpwave', path: '/api/v1/tickets', drop: 'after_commit' });
  const error = await rejection(helpwave.createTicket({ customerId: 123, Channel: 'Mail' }));
  assert.equal(error.kind, 'network');
  assert.equal((await sandbox.counts()).helpwave_tickets, 1);
});

test('timeouts: a slow GET is retried, a slow create is not', async () => {
  await sandbox.control('faults', { provider: 'mava', path: '/api/agents', delayMs: 1500 });
  const { fetch, attempts } = recorder();
  const { agents } = await mavaWith(fetch, { timeoutMs: 300 }).listAgents();
  assert.equal(agents.length, 2);
  assert.equal(attempts.length, 2);
  await sandbox.control('faults', { provider: 'mava', path: '/api/ticket', delayMs: 1500 });
  const second = recorder();
  const error = await rejection(mavaWith(second.fetch, { timeoutMs: 300 }).createTicket(TICKET));
  assert.deepEqual([error.kind, error.message], ['timeout', 'Mava createTicket timed out after 300 ms']);
  assert.equal(second.attempts.length, 1);
});

test('an abort during the backoff stops at once, with no further attempt', async () => {
  await sandbox.control('faults', { provider: 'mava', path: '/api/categories', status: 503, retryAfter: '30' });
  const { fetch, attempts } = recorder();
  const controller = new AbortController();
  const started = Date.now();
  setTimeout(() => controller.abort(), 200);
  const error = await rejection(mavaWith(fetch).listCategories({ signal: controller.signal }));
  assert.equal(error.kind, 'aborted');
  assert.ok(Date.now() - started < 2000, `stopped after ${Date.now() - started} ms`);
  assert.equal(attempts.length, 1);
  await sandbox.control('faults', undefined, 'DELETE');
});

test('the overall deadline stops retries that would run past it', async () => {
  await sandbox.control('faults', { provider: 'mava', path: '/api/categories', status: 503, retryAfter: '5', times: 3 });
  const started = Date.now();
  const error = await rejection(mavaWith(undefined, { deadlineMs: 1000 }).listCategories());
  assert.deepEqual([error.kind, error.status, error.retryAfterMs], ['api', 503, 5000]);
  assert.ok(Date.now() - started < 1000);
  await sandbox.control('faults', undefined, 'DELETE');
  await sandbox.control('faults', { provider: 'mava', path: '/api/agents', delayMs: 2000 });
  const slow = await rejection(mavaWith(undefined, { deadlineMs: 400 }).listAgents());
  assert.deepEqual([slow.kind, slow.message], ['timeout', 'Mava listAgents ran past its deadline']);
  await sandbox.control('faults', undefined, 'DELETE');
});

test('maxRetries bounds the attempts', async () => {
  await sandbox.control('faults', { provider: 'mava', path: '/api/categories', status: 503, retryAfter: '0', times: 10 });
  const { fetch, attempts } = recorder();
  const error = await rejection(mavaWith(fetch, { maxRetries: 3 }).listCategories());
  assert.equal(error.status, 503);
  assert.equal(attempts.length, 4);
  await sandbox.control('faults', undefined, 'DELETE');
});

test('other 4xx are answered at once, never retried', async () => {
  const { fetch, attempts } = recorder();
  const globex = new MavaClient({ apiKey: KEYS.mavaGlobex, baseUrl: `${sandbox.url}/mava`, fetch });
  const error = await rejection(globex.createTicket({ customerId: '645abc1234567890abcdef12' }));
  assert.deepEqual([error.status, error.code], [404, 'CUSTOMER_NOT_FOUND']);
  const unauthorized = await rejection(new MavaClient({ apiKey: 'sk_not_a_key', baseUrl: `${sandbox.url}/mava`, fetch }).listAgents());
  assert.equal(unauthorized.status, 401);
  assert.deepEqual(attempts.map((a) => a.status), [404, 401]);
});

test('a Retry-After past 60 s is not waited for: the error comes back at once with it', async () => {
  await sandbox.control('faults', { provider: 'mava', path: '/api/categories', status: 503, retryAfter: '61' });
  const { fetch, attempts } = recorder();
  const error = await rejection(mavaWith(fetch).listCategories());
  assert.deepEqual([error.status, error.retryAfterMs, attempts.length], [503, 61_000, 1]);
});
