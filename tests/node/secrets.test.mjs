// The API key appears only in the outgoing request's headers: never in any error, message,
// serialization or stack, whatever the kind of failure (CONTRACT §0, §4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { MavaClient } from 'ticketwire';
import { CUSTOMER_ID, SECRET, fetchDouble, rejection, thrown } from './helpers.mjs';

const VALID = { customerId: CUSTOMER_ID };

function assertNoSecret(value, label) {
  const renderings = [
    JSON.stringify(value), String(value), inspect(value, { depth: 10, showHidden: true }),
    value?.stack ?? '', value?.message ?? '', JSON.stringify(value?.body ?? null),
  ];
  for (const text of renderings) assert.ok(!text.includes(SECRET), `${label}: ${text}`);
}

const FAILURES = {
  validation: () => rejection(new MavaClient({ apiKey: SECRET }).createTicket({ priority: SECRET })),
  'api (key echoed in body and message)': () => rejection(new MavaClient({
    apiKey: SECRET,
    fetch: fetchDouble(401, { error: `invalid token ${SECRET}`, message: `token ${SECRET} revoked`, echo: { [SECRET]: [SECRET] } }).fetch,
  }).createTicket(VALID)),
  'api (raw text echo)': () => rejection(new MavaClient({ apiKey: SECRET, fetch: fetchDouble(502, `<p>x-auth-token: ${SECRET}</p>`).fetch }).createTicket(VALID)),
  rate_limited: () => rejection(new MavaClient({ apiKey: SECRET, maxRetries: 0, fetch: fetchDouble(429, '', { 'retry-after': '1' }).fetch }).listAgents()),
  timeout: () => rejection(new MavaClient({ apiKey: SECRET, timeoutMs: 5, maxRetries: 0, fetch: (u, init) => new Promise((_, reject) => init.signal.addEventListener('abort', () => reject(init.signal.reason))) }).listAgents()),
  aborted: () => rejection(new MavaClient({ apiKey: SECRET, fetch: fetchDouble(200, '{}').fetch }).listAgents({ signal: AbortSignal.abort() })),
  'network (key in the host error)': () => rejection(new MavaClient({
    apiKey: SECRET, maxRetries: 0, fetch: async () => { throw new TypeError(`fetch failed for ${SECRET}`, { cause: new Error(`header ${SECRET}`) }); },
  }).listAgents()),
  'config (bad options)': async () => thrown(() => new MavaClient({ apiKey: SECRET, timeoutMs: 0, [SECRET]: 1 })),
  'config (bad call options)': async () => thrown(() => new MavaClient({ apiKey: SECRET }).prepareCreateTicket(VALID, { idempotencyKey: SECRET })),
};

for (const [kind, fail] of Object.entries(FAILURES)) {
  test(`no key in a ${kind} error`, async () => {
    const error = await fail();
    assert.equal(error.name, 'TicketwireError');
    assertNoSecret(error, kind);
  });
}

test('echoed keys are replaced, the rest of the body kept', async () => {
  const error = await FAILURES['api (key echoed in body and message)']();
  assert.equal(error.message, 'Mava createTicket failed: 401 invalid token [redacted]: token [redacted] revoked');
  assert.deepEqual(error.body, { error: 'invalid token [redacted]', message: 'token [redacted] revoked', echo: { '[redacted]': ['[redacted]'] } });
});

test('the client object itself shows no key', () => {
  const client = new MavaClient({ apiKey: SECRET });
  assertNoSecret(client, 'client');
});

test('the key is in the prepared request headers, and only there', () => {
  const prepared = new MavaClient({ apiKey: SECRET }).prepareCreateTicket(VALID);
  assert.equal(prepared.headers['x-auth-token'], SECRET);
  assert.ok(!prepared.url.includes(SECRET) && !prepared.body.includes(SECRET));
});

/** The forms a server may echo a key in: upper and lower case, URL-encoded, base64 at every alignment. */
const KEY = 'sk_live/Echo+Key=42';
const echoes = (key) => {
  const base64 = (text) => Buffer.from(text).toString('base64');
  return [
    key.toUpperCase(), key.toLowerCase(), encodeURIComponent(key), encodeURIComponent(key).toLowerCase(),
    base64(key), base64(`u:${key}`), base64(`ab:${key}`), base64(`user:${key}`), Buffer.from(key).toString('base64url'),
  ];
};

test('an echo of the key in any case, URL-encoded or base64 is scrubbed from message, code and body', async () => {
  const forms = echoes(KEY);
  const body = { error: `token ${forms[0]}`, message: `got ${forms[2]}`, seen: forms.map((f) => `Basic ${f}`) };
  const error = await rejection(new MavaClient({ apiKey: KEY, fetch: fetchDouble(401, body).fetch }).createTicket(VALID));
  const rendered = [JSON.stringify(error), error.message, error.code, inspect(error, { depth: 10 })].join('\n');
  for (const form of [KEY, ...forms]) assert.ok(!rendered.includes(form), `${form} in ${rendered}`);
  assert.equal(error.code, 'token [redacted]');
  assert.equal(error.message, 'Mava createTicket failed: 401 token [redacted]: got [redacted]');
  assert.ok(error.body.seen.every((line) => line.startsWith('Basic ') && line.includes('[redacted]')), JSON.stringify(error.body.seen));
});

test('a raw body cut at 8 KiB never ends in part of the key', async () => {
  for (const cut of [1, 5, KEY.length - 1]) {
    const text = `${'x'.repeat(8192 - cut)}${KEY}`;
    const error = await rejection(new MavaClient({ apiKey: KEY, maxRetries: 0, fetch: fetchDouble(502, text).fetch }).createTicket(VALID));
    assert.equal(error.body, 'x'.repeat(8192 - cut), `cut ${cut}`);
  }
});
