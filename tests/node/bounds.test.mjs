// CONTRACT §4, bounded waits and reads: every call settles at its timeout, deadline or abort
// whatever the host's fetch does; no caller value can crash the process; long Retry-Afters
// are never waited for; bodies over the limit and many keys leave wasm memory flat.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createRequire } from 'node:module';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';
import { HelpWaveClient, MavaClient } from 'ticketwire';
import { fetchDouble, rejection, thrown } from './helpers.mjs';

// The wasm module behind the package's CommonJS entry (the same instance the ESM entry uses).
const wasm = createRequire(import.meta.url)(fileURLToPath(new URL('../../node_modules/ticketwire/node/ticketwire.js', import.meta.url)));
const MB = 1 << 20;

/** A fetch that never settles and ignores its signal; counts its calls. */
function hangingFetch() {
  const calls = [];
  return { calls, fetch: (url, init) => { calls.push(init); return new Promise(() => {}); } };
}

/** A Response-like object whose status is known but whose body never arrives. */
const hangingText = async () => ({ status: 200, headers: new Headers(), text: () => new Promise(() => {}) });

/** A Response whose streamed body never ends, and ignores cancellation. */
const hangingStream = async () => new Response(new ReadableStream({ pull: () => new Promise(() => {}) }), { status: 200 });
/** The same as a byte stream (read through a BYOB reader). */
const hangingByteStream = async () => new Response(new ReadableStream({ type: 'bytes', pull: () => new Promise(() => {}) }), { status: 200 });

const relayClient = (fetch, extra = {}) => new MavaClient({ baseUrl: 'https://relay.example/mava', fetch, maxRetries: 0, ...extra });
const settledWithin = async (promise, ms) => {
  const started = Date.now();
  const error = await rejection(promise);
  const took = Date.now() - started;
  assert.ok(took < ms, `settled after ${took} ms`);
  return error;
};

for (const [name, fetch] of [['fetch', () => hangingFetch().fetch], ['Response.text()', () => hangingText], ['the body stream', () => hangingStream], ['the body byte stream', () => hangingByteStream]]) {
  test(`a call settles at its timeout when ${name} never settles and ignores the signal`, async () => {
    const error = await settledWithin(relayClient(fetch(), { timeoutMs: 50 }).listAgents(), 2_000);
    assert.deepEqual([error.kind, error.message], ['timeout', 'Mava listAgents timed out after 50 ms']);
  });

  test(`a call settles at its deadline and at the caller's abort when ${name} never settles`, async () => {
    const late = await settledWithin(relayClient(fetch(), { deadlineMs: 60 }).listAgents(), 2_000);
    assert.deepEqual([late.kind, late.message], ['timeout', 'Mava listAgents ran past its deadline']);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 40);
    const aborted = await settledWithin(relayClient(fetch()).listAgents({ signal: controller.signal }), 2_000);
    assert.deepEqual([aborted.kind, aborted.message], ['aborted', 'Mava listAgents was aborted']);
  });
}

test('after wasm memory grows, inputs are still written into it whole (the one-pass path, not the careful one)', () => {
  const client = new MavaClient({ apiKey: 'sk_memory_grows' });
  // How many times a call reads the input's getter: the careful reader, taken when the text
  // could not be written, reads it once more.
  const reads = (content) => {
    let count = 0;
    const input = { customerId: '5f1b2c3d4e5f6a7b8c9d0e1f', message: { get content() { count += 1; return content; } } };
    const request = client.prepareCreateTicket(input);
    assert.equal(request.body, JSON.stringify({ customerId: '5f1b2c3d4e5f6a7b8c9d0e1f', message: { content } }));
    return count;
  };
  const onePass = reads('before');
  const memory = wasm.__wasmMemoryBytes();
  // Four strings of 1 MiB less a little (the most the one-pass reader takes, written whole into
  // wasm memory): more than the memory of a fresh module (this test comes first), which grows,
  // detaching the old buffer.
  const long = 'x'.repeat(MB - 16);
  const big = { customerId: '5f1b2c3d4e5f6a7b8c9d0e1f', a: long, b: long, c: long, d: long };
  assert.deepEqual(client.validateCreateTicket(big).map((v) => [v.path, v.rule]), ['a', 'b', 'c', 'd'].map((key) => [`/${key}`, 'additionalProperties']));
  assert.ok(wasm.__wasmMemoryBytes() > memory, `the memory grew from ${memory} bytes`);
  assert.equal(reads('after the memory grew'), onePass);
});

test('violations cross as counted text, not one JSON text: a key of any characters comes back exactly', () => {
  const client = new MavaClient({ apiKey: 'sk_counted_text' });
  // Two-byte and astral characters (UTF-16 lengths differ from UTF-8's), what JSON escapes, the
  // counts' own colon and digits, and the line break that ends a violation's params.
  const key = 'é𝄞:12\n"\\\u0000\u2028~/';
  const input = { customerId: '5f1b2c3d4e5f6a7b8c9d0e1f', [key]: 1, priority: 7 };
  const parsed = [];
  const parse = JSON.parse;
  JSON.parse = (text, reviver) => { parsed.push(text); return parse(text, reviver); };
  let violations;
  try {
    violations = client.validateCreateTicket(input);
  } finally {
    JSON.parse = parse;
  }
  assert.deepEqual(violations, [
    { path: '/é𝄞:12\n"\\\u0000\u2028~0~1', code: 'VALIDATION_ERROR', message: `body must NOT have additional properties '${key}'`, rule: 'additionalProperties', params: { additionalProperty: key } },
    { path: '/priority', code: 'VALIDATION_ERROR', message: 'body/priority must be equal to one of the allowed values', rule: 'enum', params: { allowedValues: [1, 2, 3] } },
  ]);
  // Only params went through JSON.parse (each text once: this key's was new), not the whole list.
  assert.ok(parsed.includes(JSON.stringify({ additionalProperty: key })), parsed.join(' | '));
  assert.ok(parsed.every((text) => text.startsWith('{"')), parsed.join(' | '));
  // A thrown error carries the same; what a caller changes in one answer is not in the next.
  violations[1].params.allowedValues.push(4);
  violations[0].params.additionalProperty = 'changed';
  const again = thrown(() => client.prepareCreateTicket(input)).violations;
  assert.deepEqual(again.map((v) => v.params), [{ additionalProperty: key }, { allowedValues: [1, 2, 3] }]);
  assert.deepEqual(again, client.validateCreateTicket(input));
  // A polluted prototype adds nothing to a copy of the params.
  Object.prototype.polluted = 'yes';
  try {
    assert.deepEqual(client.validateCreateTicket(input).map((v) => Object.keys(v.params)), [['additionalProperty'], ['allowedValues']]);
  } finally {
    delete Object.prototype.polluted;
  }
});

test('10,000 concurrent calls over a fetch that never settles all settle at their timeout', async () => {
  const { fetch, calls } = hangingFetch();
  const client = relayClient(fetch, { timeoutMs: 100 });
  const outcomes = await Promise.allSettled(Array.from({ length: 10_000 }, () => client.listAgents()));
  assert.equal(calls.length, 10_000);
  const kinds = new Set(outcomes.map((o) => (o.status === 'rejected' ? o.reason.kind : 'resolved')));
  assert.deepEqual([...kinds], ['timeout']);
});

test("a signal whose getter throws after the options were read is a typed error, not a crash", async () => {
  let reads = 0;
  const target = new AbortController().signal;
  const signal = new Proxy(target, {
    get(object, key) {
      if (key === 'aborted' && ++reads > 1) throw new Error('getter exploded');
      const value = Reflect.get(object, key, object);
      return typeof value === 'function' ? value.bind(object) : value;
    },
  });
  const { fetch, calls } = fetchDouble(200, '{"agents":[]}');
  const error = await rejection(relayClient(fetch).listAgents({ signal }));
  assert.deepEqual([error.kind, error.message], ['config', 'Mava listAgents: options.signal threw when read: getter exploded']);
  assert.equal(calls.length, 0, 'nothing sent');
});

test('a setTimeout that throws is a typed error, not a crash', async () => {
  const { fetch } = fetchDouble(200, '{"agents":[]}');
  const original = globalThis.setTimeout;
  globalThis.setTimeout = () => { throw new Error('timers are off'); };
  let error;
  try {
    error = await rejection(relayClient(fetch).listAgents());
  } finally {
    globalThis.setTimeout = original;
  }
  assert.deepEqual([error.kind, error.message], ['config', "Mava listAgents: the host's setTimeout threw: timers are off"]);
});

test('one 429 with Retry-After: 3600 does not park the other clients of the key: they fail at once, saying so', async () => {
  const key = 'sk_test_parked_key_1';
  const first = fetchDouble(429, '', { 'retry-after': '3600' });
  const error = await rejection(new MavaClient({ apiKey: key, fetch: first.fetch }).listAgents());
  assert.deepEqual([error.kind, error.status, error.retryAfterMs], ['rate_limited', 429, 3_600_000]);
  assert.equal(first.calls.length, 1, 'not waited for');
  const second = fetchDouble(200, '{"agents":[]}');
  const held = await settledWithin(new MavaClient({ apiKey: key, fetch: second.fetch }).listAgents(), 500);
  assert.equal(held.kind, 'rate_limited');
  assert.ok(held.retryAfterMs > 3_590_000 && held.retryAfterMs <= 3_600_000, String(held.retryAfterMs));
  assert.match(held.message, /^Mava listAgents: the API key is rate limited for 3600 s more; not waited for$/);
  assert.equal(second.calls.length, 0, 'nothing sent while the key is held');
});

test('a far-future HTTP date is neither waited for nor spun on', async () => {
  const key = 'sk_test_far_future_2';
  const first = fetchDouble(503, '', { 'retry-after': 'Fri, 31 Dec 9999 23:59:59 GMT' });
  const error = await settledWithin(new MavaClient({ apiKey: key, fetch: first.fetch }).listAgents(), 500);
  assert.equal(error.status, 503);
  assert.equal(first.calls.length, 1);
  const limited = fetchDouble(429, '', { 'retry-after': 'Fri, 31 Dec 9999 23:59:59 GMT' });
  await rejection(new MavaClient({ apiKey: key, fetch: limited.fetch }).listAgents());
  const next = fetchDouble(200, '{"agents":[]}');
  const started = Date.now();
  const held = await rejection(new MavaClient({ apiKey: key, fetch: next.fetch }).listAgents());
  assert.ok(Date.now() - started < 200);
  assert.equal(held.kind, 'rate_limited');
  assert.equal(next.calls.length, 0);
});

/** Sends `body` chunked (no content-length) from a local server; resolves to its URL. */
async function serve(total, chunk = MB) {
  const server = http.createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    let sent = 0;
    const part = Buffer.alloc(chunk, 'x');
    const more = () => {
      while (sent < total) {
        sent += chunk;
        if (!response.write(part)) return response.once('drain', more);
      }
      response.end();
    };
    response.on('close', () => { sent = total; });
    more();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

test('a 100 MB body over real HTTP is RESPONSE_TOO_LARGE, and wasm memory stays flat', async () => {
  const server = await serve(100 * MB);
  try {
    const client = new MavaClient({ baseUrl: server.url, maxRetries: 0 });
    await rejection(client.listAgents()); // warm up
    const before = wasm.__wasmMemoryBytes();
    for (let i = 0; i < 3; i++) {
      const error = await rejection(client.listAgents());
      assert.deepEqual([error.kind, error.status, error.code], ['api', 200, 'RESPONSE_TOO_LARGE']);
      assert.equal(error.message, 'Mava listAgents answered 200 with a body over 16777216 bytes (maxResponseBytes)');
    }
    assert.equal(wasm.__wasmMemoryBytes() - before, 0, 'wasm memory grew');
  } finally {
    server.close();
  }
});

test('maxResponseBytes applies to a declared length, a stream and a text()-only response alike', async () => {
  const limit = { maxResponseBytes: 1_000 };
  const declared = fetchDouble(200, 'x'.repeat(1_001), { 'content-length': '1001' });
  const streamed = async () => new Response(new ReadableStream({
    start(controller) { for (let i = 0; i < 3; i++) controller.enqueue(new Uint8Array(400)); controller.close(); },
  }));
  const textOnly = async () => ({ status: 200, headers: new Headers(), text: async () => 'y'.repeat(50 * MB) });
  for (const fetch of [declared.fetch, streamed, textOnly]) {
    const error = await rejection(relayClient(fetch, limit).listAgents());
    assert.equal(error.code, 'RESPONSE_TOO_LARGE');
  }
  const fits = fetchDouble(200, `{"agents":[],"pad":"${'z'.repeat(900)}"}`);
  assert.deepEqual((await relayClient(fits.fetch, limit).listAgents()).agents, []);
  const before = wasm.__wasmMemoryBytes();
  await rejection(relayClient(textOnly).listAgents());
  assert.equal(wasm.__wasmMemoryBytes() - before, 0, 'a 50 MB text() never copied into wasm');
});

test('a body read in chunks is decoded as Response.text() decodes it', async () => {
  const bytes = new TextEncoder().encode('\uFEFF{"agents":[{"id":"é👍"}]}');
  const split = async () => new Response(new ReadableStream({
    start(controller) { controller.enqueue(bytes.slice(0, 19)); controller.enqueue(bytes.slice(19)); controller.close(); },
  }));
  assert.deepEqual((await relayClient(split).listAgents()).agents, [{ id: 'é👍' }]);
});

test('10^5 distinct keys leave wasm memory flat: the per-key limiters are bounded', async () => {
  const fetch = async () => new Response('{"agents":[]}');
  const round = async (from, count) => {
    for (let batch = 0; batch < count; batch += 100) {
      await Promise.all(Array.from({ length: 100 }, (_, i) => {
        const client = new MavaClient({ apiKey: `sk_many_keys_${from + batch + i}`, fetch });
        return client.listAgents().finally(() => client.free());
      }));
    }
  };
  await round(0, 10_000);
  const warm = wasm.__wasmMemoryBytes();
  await round(10_000, 90_000);
  const grown = wasm.__wasmMemoryBytes() - warm;
  assert.ok(grown <= MB, `wasm memory grew by ${(grown / MB).toFixed(1)} MB over 90,000 more keys`);
});

test('an API key shorter than 8 characters is refused: scrubbing it would mangle ordinary words', () => {
  for (const apiKey of ['k', 'abc1234']) {
    const error = (() => { try { new HelpWaveClient({ apiKey, baseUrl: 'https://hw.example' }); } catch (e) { return e; } })();
    assert.deepEqual([error.kind, error.violations], ['config', [{
      path: '/apiKey', code: 'INVALID_OPTION', message: 'options/apiKey must NOT have fewer than 8 characters', rule: 'minLength', params: { limit: 8 },
    }]]);
  }
});

test('host values in options are refused for what they must be; "wait" and "fail" are checked as JSON', async () => {
  const violations = (options) => { try { new MavaClient(options); } catch (e) { return [e.kind, e.violations]; } };
  const at = (path, message, rule, params) => ({ path, code: 'INVALID_OPTION', message: `options${path} ${message}`, rule, params });
  assert.deepEqual(violations({ apiKey: 'bench-api-key', fetch: 'x', rateLimit: {} }), ['config', [
    at('/fetch', 'must be function', 'type', { type: 'function' }),
    at('/rateLimit', 'must be "wait", "fail" or an object with an acquire() method', 'type', { type: 'TicketwireRateLimiter' }),
  ]]);
  assert.deepEqual(violations({ apiKey: 'bench-api-key', rateLimit: 5 }), ['config', [at('/rateLimit', 'must be string', 'type', { type: 'string' })]]);
  assert.deepEqual(violations({ apiKey: 'bench-api-key', rateLimit: 'later' }), ['config', [
    at('/rateLimit', 'must be equal to one of the allowed values', 'enum', { allowedValues: ['wait', 'fail'] }),
  ]]);
  const upstream = fetchDouble(200, {});
  const client = new MavaClient({ apiKey: 'bench-api-key', fetch: upstream.fetch });
  const error = await rejection(client.createTicket({ customerId: '645abc1234567890abcdef12' }, { signal: { aborted: 'no' } }));
  assert.deepEqual([error.kind, error.violations, upstream.calls.length], ['config', [at('/signal', 'must be an AbortSignal', 'type', { type: 'AbortSignal' })], 0]);
});

test("a caller's limiter hears how each attempt went: release after every answer, penalize on a 429", async () => {
  const heard = [];
  const limiter = {
    async acquire(call) {
      heard.push(`acquire ${call.provider} ${call.operation}`);
      return { release: () => { heard.push('release'); }, penalize: (ms) => { heard.push(`penalize ${ms}`); } };
    },
  };
  let calls = 0;
  const fetch = async () => (++calls === 1
    ? new Response('', { status: 429, headers: { 'retry-after': '0' } })
    : new Response('{"agents":[]}'));
  const mava = new MavaClient({ apiKey: 'sk_custom_limiter_1', fetch, rateLimit: limiter });
  assert.deepEqual(await mava.listAgents(), { agents: [] });
  assert.deepEqual(heard, ['acquire mava listAgents', 'release', 'penalize 0', 'acquire mava listAgents', 'release']);
});

test("a caller's limiter hears the key's hash (never the key) and the deadline, and its refusal's retryAfterMs reaches the error", async () => {
  const heard = [];
  const limiter = {
    async acquire(call) {
      heard.push(call);
      throw Object.assign(new Error('no slot'), { retryAfterMs: 29_100.4 });
    },
  };
  const upstream = fetchDouble(200, {});
  const mava = new MavaClient({ apiKey: 'sk_custom_limiter_1', fetch: upstream.fetch, rateLimit: limiter, deadlineMs: 20_000 });
  const error = await rejection(mava.listAgents());
  assert.deepEqual([error.kind, error.retryAfterMs, upstream.calls.length], ['rate_limited', 29_101, 0]);
  const other = new MavaClient({ apiKey: 'sk_custom_limiter_2', fetch: upstream.fetch, rateLimit: limiter });
  await rejection(other.listAgents());
  const [call, second] = heard;
  assert.deepEqual(Object.keys(call), ['provider', 'operation', 'keyHash', 'deadlineMs']);
  assert.match(call.keyHash, /^[0-9a-f]{16}$/);
  assert.ok(call.deadlineMs > 19_000 && call.deadlineMs <= 20_000, `${call.deadlineMs}`);
  assert.equal(JSON.stringify(heard).includes('sk_custom'), false, 'the key itself is never passed');
  assert.notEqual(second.keyHash, call.keyHash, 'each key its own hash');
  assert.equal(second.deadlineMs, undefined, 'no deadline, none passed');
  // A rejection without a number keeps no retryAfterMs.
  const plain = new MavaClient({ apiKey: 'sk_custom_limiter_1', fetch: upstream.fetch, rateLimit: { acquire: async () => { throw 'busy'; } } });
  assert.equal((await rejection(plain.listAgents())).retryAfterMs, undefined);
});

test("a body chunk from another realm is read as bytes (jsdom's Uint8Array is not Node fetch's)", async () => {
  const bytes = new TextEncoder().encode('{"agents":[{"id":"é"}]}');
  const ForeignUint8Array = vm.runInNewContext('Uint8Array');
  const foreignBody = (chunk) => async () => ({
    status: 200,
    headers: new Headers(),
    body: { getReader: () => { let done = false; return { read: async () => (done ? { done } : ((done = true), { done: false, value: chunk })), cancel: async () => {} }; } },
  });
  const chunk = new ForeignUint8Array(bytes);
  assert.equal(chunk instanceof Uint8Array, false, 'the chunk is of another realm');
  assert.deepEqual((await relayClient(foreignBody(chunk)).listAgents()).agents, [{ id: 'é' }]);
  // A view that is not bytes is still refused, whatever its realm.
  const error = await rejection(relayClient(foreignBody(new (vm.runInNewContext('Uint16Array'))(4))).listAgents());
  assert.equal(error.kind, 'network');
  assert.match(error.message, /not bytes/);
});

/**
 * A byte stream (`type: 'bytes'`) of `total` bytes of JSON padding: it fills whatever its reader
 * asks for (a BYOB read's view) or, asked by a default reader, gives 1 KiB. Counts its pulls and
 * the bytes it gave.
 */
function byteStream(total) {
  const given = { pulls: 0, bytes: 0, cancelled: false };
  const head = new TextEncoder().encode('{"agents":[],"pad":"');
  const tail = new TextEncoder().encode('"}');
  const byteAt = (i) => (i < head.length ? head[i] : i >= total - tail.length ? tail[i - (total - tail.length)] : 0x78);
  const stream = new ReadableStream({
    type: 'bytes',
    pull(controller) {
      given.pulls += 1;
      const request = controller.byobRequest;
      const room = request ? request.view.byteLength : 1024;
      const n = Math.min(room, total - given.bytes);
      const bytes = request ? new Uint8Array(request.view.buffer, request.view.byteOffset, n) : new Uint8Array(n);
      for (let i = 0; i < n; i++) bytes[i] = byteAt(given.bytes + i);
      given.bytes += n;
      if (request) request.respond(n); else controller.enqueue(bytes);
      if (given.bytes === total) controller.close();
    },
    cancel() { given.cancelled = true; },
  });
  return { given, fetch: async () => new Response(stream, { status: 200, headers: { 'content-type': 'application/json' } }) };
}

test('a byte stream is read in pieces of 64 KiB, never past maxResponseBytes + 1, and cancelled at the limit', async () => {
  const limit = 1 << 20;
  const over = byteStream(16 * MB);
  const error = await rejection(relayClient(over.fetch, { maxResponseBytes: limit }).listAgents());
  assert.equal(error.code, 'RESPONSE_TOO_LARGE');
  assert.ok(over.given.pulls <= Math.ceil((limit + 1) / 65_536) + 1, `${over.given.pulls} reads for a limit of ${limit} bytes`);
  assert.ok(over.given.bytes <= limit + 1, `${over.given.bytes} bytes read past a limit of ${limit}`);
  assert.equal(over.given.cancelled, true, 'the stream is cancelled at the limit');
  // A body that fits is read whole, in as few reads, and decoded: one of exactly the limit, and
  // one whose last read the end of the stream cuts short.
  for (const size of [limit, limit - 12_345, 100]) {
    const fits = byteStream(size);
    assert.deepEqual((await relayClient(fits.fetch, { maxResponseBytes: limit }).listAgents()).agents, [], `${size} bytes`);
    assert.ok(fits.given.pulls <= Math.ceil(size / 65_536) + 1, `${fits.given.pulls} reads for ${size} bytes`);
    assert.equal(fits.given.cancelled, false);
  }
});
