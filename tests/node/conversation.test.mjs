// client.conversation (CONTRACT §7.3) against a stub relay passed as `fetch`: long polls that
// resume from the cursor with the capability, reconnect after a 503 and after a network error,
// never yield a message twice, end on 403/404 with a TicketwireError, and stop at once on abort
// and on break. The rules themselves are tested on a simulated clock in
// src/conversation/follow/tests.rs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HelpWaveClient, MavaClient, TickitiClient, TicketwireError } from 'ticketwire';
import { rejection, thrown } from './helpers.mjs';

const CAPABILITY = 'tw1.1767225600.c2lnbmF0dXJl';
const message = (id, text, from = 'agent') => ({ id, from, text, attachments: [], at: '2026-12-06T10:00:00.000Z' });

/**
 * A relay's conversation route, scripted: each poll gets the next step (a function of the poll's
 * `init.signal`), the last step for every poll past the script; every poll is recorded.
 */
function stubRelay(steps) {
  const polls = [];
  const fetch = async (url, init) => {
    const parsed = new URL(url);
    polls.push({ path: parsed.pathname, after: parsed.searchParams.get('after'), wait: parsed.searchParams.get('wait'), capability: init.headers['x-ticketwire-capability'], method: init.method });
    const step = steps[Math.min(polls.length, steps.length) - 1];
    return step(init.signal);
  };
  return { fetch, polls };
}

const answer = (status, body, headers = {}) => () => new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const networkError = () => () => Promise.reject(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:8787') }));
/** A long poll the relay holds until the request is cancelled. */
const held = () => (signal) => new Promise((_, reject) => {
  signal.addEventListener('abort', () => reject(new DOMException('The operation was aborted.', 'AbortError')));
});

test('batches arrive in order, resume from the cursor after a 503 and a network error, and a message comes once', async () => {
  const { fetch, polls } = stubRelay([
    answer(200, { messages: [message('m1', 'Hello, how can we help?')], cursor: 'c1' }),
    answer(503, { error: 'UPSTREAM_UNREACHABLE' }),
    networkError(),
    // After the reconnect the relay sends m1 again, with the new m2.
    answer(200, { messages: [message('m1', 'Hello, how can we help?'), message('m2', 'Your parcel left today.')], cursor: 'c2' }),
    held(),
  ]);
  const mava = new MavaClient({ baseUrl: 'https://relay.example/mava', fetch });
  const controller = new AbortController();
  const batches = [];
  const started = Date.now();
  let abortedAt;
  for await (const batch of mava.conversation('6650a1b2c3d4e5f678901234', { capability: CAPABILITY, signal: controller.signal })) {
    batches.push(batch);
    if (batches.length === 2) {
      // Let the next long poll go out, then abort it.
      setTimeout(() => { abortedAt = Date.now(); controller.abort(); }, 50);
    }
  }
  const ended = Date.now();
  assert.deepEqual(batches, [
    { messages: [message('m1', 'Hello, how can we help?')], cursor: 'c1' },
    { messages: [message('m2', 'Your parcel left today.')], cursor: 'c2' },
  ]);
  assert.deepEqual(polls.map((p) => p.after), [null, 'c1', 'c1', 'c1', 'c2']);
  assert.ok(polls.every((p) => p.capability === CAPABILITY && p.wait === '25' && p.method === 'GET'));
  assert.ok(polls.every((p) => p.path === '/mava/conversations/6650a1b2c3d4e5f678901234'));
  assert.ok(ended - abortedAt < 200, `the abort ended the iteration promptly (${ended - abortedAt} ms)`);
  // Two backoffs (0.375–0.5 s, then 0.75–1 s) before the reconnect that worked.
  assert.ok(ended - started >= 1_100, `backed off (${ended - started} ms)`);
});

test('a 429 waits its retry-after before the next poll', async () => {
  const { fetch, polls } = stubRelay([
    answer(429, { error: 'RATE_LIMITED' }, { 'retry-after': '1' }),
    answer(200, { messages: [message('m1', 'Hi')], cursor: 'c1' }),
  ]);
  const started = Date.now();
  const conversation = new HelpWaveClient({ baseUrl: 'https://relay.example/helpwave', fetch }).conversation('987654321012345678', { capability: CAPABILITY });
  const { value, done } = await conversation.next();
  assert.equal(done, false);
  assert.deepEqual(value, { messages: [message('m1', 'Hi')], cursor: 'c1' });
  assert.ok(Date.now() - started >= 990, 'waited a second');
  assert.deepEqual(await conversation.return(), { value: undefined, done: true });
  assert.equal(polls.length, 2);
  assert.equal(polls[0].path, '/helpwave/conversations/987654321012345678');
});

test('after resumes a thread; break cancels the poll out and sends no other', async () => {
  const { fetch, polls } = stubRelay([answer(200, { messages: [message('m5', 'Later')], cursor: 'c5' }), held()]);
  const mava = new MavaClient({ baseUrl: 'https://relay.example/mava', fetch });
  const seen = [];
  for await (const { messages, cursor } of mava.conversation('T1', { capability: CAPABILITY, after: 'c4' })) {
    seen.push(...messages.map((m) => m.id), cursor);
    break;
  }
  assert.deepEqual(seen, ['m5', 'c5']);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(polls.map((p) => p.after), ['c4']);
});

test('return() while a poll is held ends the pending next() at once', async () => {
  const { fetch, polls } = stubRelay([held()]);
  const conversation = new MavaClient({ baseUrl: 'https://relay.example/mava', fetch }).conversation('T1', { capability: CAPABILITY });
  const pending = conversation.next();
  await new Promise((resolve) => setTimeout(resolve, 20));
  const started = Date.now();
  await conversation.return();
  assert.deepEqual(await pending, { value: undefined, done: true });
  assert.ok(Date.now() - started < 100);
  assert.deepEqual(await conversation.next(), { value: undefined, done: true });
  assert.equal(polls.length, 1);
});

test('a signal aborted before the start sends nothing', async () => {
  const { fetch, polls } = stubRelay([held()]);
  const batches = [];
  for await (const batch of new MavaClient({ baseUrl: 'https://relay.example/mava', fetch }).conversation('T1', { capability: CAPABILITY, signal: AbortSignal.abort() })) batches.push(batch);
  assert.deepEqual([batches, polls.length], [[], 0]);
});

test('a 403 ends the iteration with CAPABILITY_REQUIRED, a 404 with NOT_FOUND: no retry', async () => {
  for (const [status, body, code] of [[403, { error: 'CAPABILITY_REQUIRED' }, 'CAPABILITY_REQUIRED'], [404, undefined, 'NOT_FOUND'], [404, { error: 'NOT_FOUND' }, 'NOT_FOUND']]) {
    const { fetch, polls } = stubRelay([answer(status, body)]);
    const conversation = new MavaClient({ baseUrl: 'https://relay.example/mava', fetch }).conversation('T1', { capability: CAPABILITY });
    const error = await rejection((async () => { for await (const _ of conversation); })());
    assert.ok(error instanceof TicketwireError);
    assert.deepEqual([error.kind, error.status, error.code, error.provider, error.operation], ['api', status, code, 'mava', 'conversation']);
    assert.equal(polls.length, 1);
    assert.deepEqual(await conversation.next(), { value: undefined, done: true });
  }
});

test('a bad ticket id or options throw at once (validation); Tickiti has no conversation', () => {
  const mava = new MavaClient({ baseUrl: 'https://relay.example/mava', fetch: async () => { throw new Error('not sent'); } });
  const error = thrown(() => mava.conversation('', { after: 7.5, signal: 'stop' }));
  assert.deepEqual([error.kind, error.operation], ['validation', 'conversation']);
  assert.deepEqual(error.violations.map((v) => v.path), ['/ticketId', '/options/capability', '/options/after', '/options/signal']);
  assert.equal(thrown(() => mava.conversation('T1')).violations[0].message, "options must have required property 'capability'");
  assert.equal(new TickitiClient({ baseUrl: 'https://relay.example/tickiti' }).conversation, undefined);
});
