// The relay's conversation routes (CONTRACT §7.2) in Node: real Mava webhook envelopes built
// with node:crypto exactly as tests/node/webhook.test.mjs builds them, posted to the relay and
// read back through GET {basePath}/{provider}/conversations/{ticketId} (the long poll
// included); HelpWave's thread pulled through a recording upstream. Every refusal asserts its
// status, its code, and that nothing leaked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createCipheriv, createHmac, generateKeyPairSync, publicEncrypt, randomBytes } from 'node:crypto';
import { TicketwireError, createRelay } from 'ticketwire';
import { thrown } from './helpers.mjs';

const ORIGIN = 'https://shop.example';
const RELAY = 'https://relay.example';
const KEYS = { mava: 'sk_mava_conversation_key_1', helpwave: 'sk_helpwave_conversation_key_1', tickiti: 'sk_tickiti_conversation_key' };
const CAPABILITY_SECRET = 'k'.repeat(32);
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const SIGNING_KEY = `mava_wh_${privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64')}`;
const MAVA_TICKET = '665f1c2b9d3e4a0012345678';
const HELPWAVE_TICKET = '987654321012345678';
const PLENTY = { requests: 1_000_000, windowMs: 1_000 };

/** An envelope as Mava sends it (AES-256-CBC, IV in hex, payload in base64); its AES key too. */
function seal(event, webhookId, { plaintext } = {}) {
  const aesKey = randomBytes(32);
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', aesKey, iv);
  const payload = Buffer.concat([cipher.update(plaintext ?? JSON.stringify(event), 'utf8'), cipher.final()]).toString('base64');
  const encryptedKey = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING }, aesKey).toString('base64');
  const signature = createHmac('sha256', aesKey.toString('base64')).update(payload).digest('hex');
  return { fields: { signature, payload, key: `${iv.toString('hex')}:${encryptedKey}`, webhookId }, aesKey };
}

const message = (id, { messageType = 'ExternalMessage', fromCustomer = false, content = 'Hello Jane, café ☕', ticket = { _id: MAVA_TICKET } } = {}) => ({
  type: 'message.created',
  document: {
    _id: id, messageType, fromCustomer, content, ticket, createdAt: '2027-01-15T08:00:00.000Z',
    senderReferenceType: fromCustomer ? 'Customer' : 'ClientMember', sender: { name: 'Agent Smith', email: 'agent@example.com' },
    attachments: [{ url: 'https://cdn.example/a.png', fileName: 'a.png', type: 'image/png' }],
  },
});

/** A HelpWave upstream that records every request; its comments can change. */
function upstream() {
  const seen = [];
  const state = { comments: [] };
  const fetch = async (url, init) => {
    seen.push({ url, method: init.method, headers: { ...init.headers } });
    if (url.endsWith('/api/ticket') && init.method === 'POST') return Response.json({ ticket: { _id: MAVA_TICKET } }, { status: 201 });
    if (url.endsWith('/api/v1/tickets')) return Response.json({ success: true, ticket: { id: HELPWAVE_TICKET, customerID: 1 } });
    if (url.endsWith('/comments')) return Response.json({ success: true, comments: state.comments, totalCount: state.comments.length });
    return Response.json({ ok: true });
  };
  return { fetch, seen, state };
}

function relayWith(extra = {}) {
  const up = upstream();
  const relay = createRelay({
    mava: { apiKey: KEYS.mava, baseUrl: 'https://mava.upstream.example', rateLimitQuota: PLENTY, webhookSigningKey: SIGNING_KEY },
    helpwave: { apiKey: KEYS.helpwave, baseUrl: 'https://helpwave.upstream.example', rateLimitQuota: PLENTY },
    tickiti: { apiKey: KEYS.tickiti, baseUrl: 'https://tickiti.upstream.example' },
    allowedOrigins: [ORIGIN],
    capabilitySecret: CAPABILITY_SECRET,
    fetch: up.fetch,
    visitorKey: (request) => request.headers.get('x-client-address') ?? 'visitor',
    ...extra,
  });
  return { relay, up };
}

const webhook = (relay, fields, headers = {}) => relay.fetch(new Request(`${RELAY}/mava/webhooks`, {
  method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof fields === 'string' ? fields : JSON.stringify(fields),
}));

const read = (relay, provider, ticket, capability, query = '', headers = {}) => relay.fetch(new Request(
  `${RELAY}/${provider}/conversations/${ticket}${query}`,
  { headers: { origin: ORIGIN, ...(capability ? { 'x-ticketwire-capability': capability } : {}), ...headers } },
));

/** Which upstream a capability was minted for: FNV-1a (64 bits) of base URL, newline, key. */
const fingerprint = (baseUrl, key) => {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(`${baseUrl}\n${key}`)) hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return hash.toString(16).padStart(16, '0');
};

/**
 * The visitor's ticket capability: Mava's from its create through the relay; HelpWave's
 * signed here as the relay signs it (a HelpWave create names a customer, which needs identify).
 */
async function create(relay, provider) {
  if (provider === 'helpwave') {
    const expiry = Math.floor(Date.now() / 1000) + 3_600;
    const signed = `ticketwire capability v2\nticket\nhelpwave\n${fingerprint('https://helpwave.upstream.example', KEYS.helpwave)}\n${HELPWAVE_TICKET}\n${expiry}`;
    return `tw1.${expiry}.${createHmac('sha256', CAPABILITY_SECRET).update(signed).digest('base64url')}`;
  }
  const response = await relay.fetch(new Request(`${RELAY}/mava/api/ticket`, {
    method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: JSON.stringify({ customer: { email: 'jane@example.com' } }),
  }));
  assert.equal(response.status, 201, await response.clone().text());
  return response.headers.get('x-ticketwire-capability');
}

/** Every key and secret that must never reach an answer. */
function assertNothingLeaked(text, aesKey) {
  const der = SIGNING_KEY.slice('mava_wh_'.length);
  const secrets = [SIGNING_KEY, der.slice(40, 80), CAPABILITY_SECRET, ...Object.values(KEYS), ...(aesKey ? [aesKey.toString('base64'), aesKey.toString('hex')] : [])];
  for (const secret of secrets) assert.ok(!text.includes(secret), `a secret in: ${text}`);
}

test('an agent reply posted as a Mava webhook is read back by its ticket visitor, once', async () => {
  const { relay } = relayWith();
  const capability = await create(relay, 'mava');
  const { fields, aesKey } = seal(message('m1'), 'wh_1');
  const ok = await webhook(relay, fields);
  assert.deepEqual([ok.status, await ok.json()], [200, { ok: true }]);
  assert.equal(ok.headers.get('access-control-allow-origin'), null, 'server to server: no CORS');
  // Mava's retry (same webhookId) and a replay under a new webhookId (same signature): once.
  for (const again of [fields, { ...fields, webhookId: 'wh_replayed' }]) {
    const response = await webhook(relay, again);
    assert.deepEqual([response.status, await response.json()], [200, { ok: true }]);
  }
  const response = await read(relay, 'mava', MAVA_TICKET, capability);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('access-control-allow-origin'), ORIGIN);
  assert.equal(response.headers.get('cache-control'), 'no-store');
  const body = await response.json();
  assert.deepEqual(body.messages, [{
    id: 'm1', from: 'agent', text: 'Hello Jane, café ☕',
    attachments: [{ url: 'https://cdn.example/a.png', fileName: 'a.png', fileType: 'image/png' }], at: '2027-01-15T08:00:00.000Z',
  }]);
  assert.match(body.cursor, /^[0-9a-z]+-1$/);
  assertNothingLeaked(JSON.stringify(body), aesKey);
  // After the cursor: nothing, the same cursor; then the next message only.
  const none = await (await read(relay, 'mava', MAVA_TICKET, capability, `?after=${body.cursor}`)).json();
  assert.deepEqual(none, { messages: [], cursor: body.cursor });
  await webhook(relay, seal(message('m2', { fromCustomer: true, content: 'thanks', ticket: MAVA_TICKET }), 'wh_2').fields);
  const next = await (await read(relay, 'mava', MAVA_TICKET, capability, `?after=${body.cursor}`)).json();
  assert.deepEqual(next.messages.map((m) => [m.id, m.from, m.text]), [['m2', 'customer', 'thanks']]);
});

test('an internal note is acknowledged and never shown', async () => {
  const { relay } = relayWith();
  const capability = await create(relay, 'mava');
  for (const [i, event] of [
    message('n1', { messageType: 'InternalNote', content: 'secret triage note' }),
    message('n2', { messageType: 'SomethingNew', content: 'secret triage note' }),
    { type: 'ticket.created', document: { _id: MAVA_TICKET, status: 'Open' } },
  ].entries()) {
    const response = await webhook(relay, seal(event, `wh_note_${i}`).fields);
    assert.deepEqual([response.status, await response.json()], [200, { ok: true }]);
  }
  const text = await (await read(relay, 'mava', MAVA_TICKET, capability)).text();
  assert.deepEqual(JSON.parse(text).messages, []);
  assert.ok(!text.includes('secret triage note'));
});

test('a long poll answers as soon as the reply is stored, or empty when its wait is up', async () => {
  const { relay } = relayWith();
  const capability = await create(relay, 'mava');
  const started = Date.now();
  const waiting = read(relay, 'mava', MAVA_TICKET, capability, '?wait=10');
  await new Promise((resolve) => setTimeout(resolve, 300));
  await webhook(relay, seal(message('m1', { content: 'on it' }), 'wh_1').fields);
  const body = await (await waiting).json();
  assert.deepEqual(body.messages.map((m) => m.text), ['on it']);
  assert.ok(Date.now() - started < 3_000, `answered after ${Date.now() - started} ms`);

  const quiet = Date.now();
  const empty = await (await read(relay, 'mava', MAVA_TICKET, capability, `?after=${body.cursor}&wait=1`)).json();
  assert.deepEqual(empty, { messages: [], cursor: body.cursor });
  const took = Date.now() - quiet;
  assert.ok(took >= 900 && took < 3_000, `waited ${took} ms`);
});

test('a refused webhook stores nothing and names no key', async () => {
  const { relay } = relayWith();
  const capability = await create(relay, 'mava');
  const { fields, aesKey } = seal(message('m1', { content: 'tampered text' }), 'wh_1');
  const flip = (text, at) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
  const cases = [
    [{ ...fields, payload: flip(fields.payload, 5) }, 401, 'WEBHOOK_SIGNATURE_INVALID'],
    [{ ...fields, signature: (fields.signature[0] === '0' ? '1' : '0') + fields.signature.slice(1) }, 401, 'WEBHOOK_SIGNATURE_INVALID'],
    ['not json', 400, 'WEBHOOK_MALFORMED'],
    [{ ...fields, key: 'no colon' }, 400, 'WEBHOOK_MALFORMED'],
    [seal(null, 'wh_bad', { plaintext: 'not the event' }).fields, 400, 'WEBHOOK_PAYLOAD_INVALID'],
  ];
  for (const [body, status, code] of cases) {
    const response = await webhook(relay, body);
    const text = await response.text();
    assert.deepEqual([response.status, JSON.parse(text).error], [status, code], text);
    assertNothingLeaked(text, aesKey);
  }
  const wrongType = await webhook(relay, fields, { 'content-type': 'text/plain' });
  assert.deepEqual([wrongType.status, (await wrongType.json()).error], [415, 'UNSUPPORTED_MEDIA_TYPE']);
  const huge = await webhook(relay, JSON.stringify({ ...fields, padding: 'x'.repeat(1 << 20) }));
  assert.deepEqual([huge.status, (await huge.json()).error], [413, 'BODY_TOO_LARGE']);
  assert.deepEqual((await (await read(relay, 'mava', MAVA_TICKET, capability)).json()).messages, []);

  // Without a signing key there is no webhook route.
  const { relay: plain } = relayWith({ mava: { apiKey: KEYS.mava, rateLimitQuota: PLENTY } });
  const response = await webhook(plain, fields);
  assert.deepEqual([response.status, (await response.json()).error], [404, 'NOT_FOUND']);
});

test('a thread is read only with its own ticket capability, from an allowed origin', async () => {
  const { relay, up } = relayWith();
  const capability = await create(relay, 'mava');
  const helpwave = await create(relay, 'helpwave');
  await webhook(relay, seal(message('m1', { content: 'private reply' }), 'wh_1').fields);
  const before = up.seen.length;
  const cases = [
    [read(relay, 'mava', MAVA_TICKET, null), 403, 'CAPABILITY_REQUIRED'],
    [read(relay, 'mava', MAVA_TICKET, `${capability.slice(0, -2)}AA`), 403, 'CAPABILITY_REQUIRED'],
    [read(relay, 'mava', '665f1c2b9d3e4a0012345679', capability), 403, 'CAPABILITY_REQUIRED'],
    [read(relay, 'mava', MAVA_TICKET, helpwave), 403, 'CAPABILITY_REQUIRED'],
    [read(relay, 'helpwave', HELPWAVE_TICKET, capability), 403, 'CAPABILITY_REQUIRED'],
    [read(relay, 'mava', MAVA_TICKET, capability, '', { origin: 'https://evil.example' }), 403, 'ORIGIN_NOT_ALLOWED'],
    [read(relay, 'mava', MAVA_TICKET, capability, '?wait=26'), 400, 'INVALID_QUERY'],
    [read(relay, 'mava', MAVA_TICKET, capability, '?after=not-a-cursor!'), 400, 'INVALID_QUERY'],
    [read(relay, 'tickiti', '482113', capability), 404, 'NOT_FOUND'],
  ];
  for (const [pending, status, code] of cases) {
    const response = await pending;
    const text = await response.text();
    assert.deepEqual([response.status, JSON.parse(text).error], [status, code], text);
    assert.ok(!text.includes('private reply'), text);
    assertNothingLeaked(text);
  }
  assert.equal(up.seen.length, before, 'nothing went upstream');
});

test('HelpWave: one listComments per 5 s per ticket, however many visitors wait', async () => {
  const { relay, up } = relayWith();
  const capability = await create(relay, 'helpwave');
  up.state.comments = [{ id: 1, ticketId: HELPWAVE_TICKET, text: 'my question', isFromShop: false, time: '2027-01-15T08:00:00.000Z' }];
  const pulls = () => up.seen.filter((r) => r.url.endsWith('/comments'));
  const first = await (await read(relay, 'helpwave', HELPWAVE_TICKET, capability)).json();
  assert.deepEqual(first.messages, [{ id: '1', from: 'customer', text: 'my question', attachments: [], at: '2027-01-15T08:00:00.000Z' }]);
  assert.equal(pulls().length, 1);
  assert.equal(pulls()[0].url, `https://helpwave.upstream.example/api/v1/tickets/${HELPWAVE_TICKET}/comments`);
  assert.equal(pulls()[0].headers['x-api-key'], KEYS.helpwave);

  // Twenty visitors wait 1 s, within the 5 s: no pull at all, each answered empty.
  // (Each visitor is its own: one visitor's 41 requests a minute would be past its limit.)
  const visitor = (i) => ({ 'x-client-address': `203.0.113.${i}` });
  const short = await Promise.all(Array.from({ length: 20 }, (_, i) => read(relay, 'helpwave', HELPWAVE_TICKET, capability, `?after=${first.cursor}&wait=1`, visitor(i))));
  for (const response of short) assert.deepEqual(await response.json(), { messages: [], cursor: first.cursor });
  assert.equal(pulls().length, 1);

  // The shop answers; twenty visitors waiting 8 s get it once, from one pull at the 5 s mark.
  up.state.comments = [...up.state.comments, { id: 2, ticketId: HELPWAVE_TICKET, text: 'our answer', isFromShop: true, time: '2027-01-15T08:01:00.000Z' }];
  const waiting = await Promise.all(Array.from({ length: 20 }, (_, i) => read(relay, 'helpwave', HELPWAVE_TICKET, capability, `?after=${first.cursor}&wait=8`, visitor(i))));
  for (const response of waiting) {
    const body = await response.json();
    assert.deepEqual(body.messages.map((m) => [m.id, m.from, m.text]), [['2', 'agent', 'our answer']]);
  }
  assert.equal(pulls().length, 2, 'one more pull for all twenty');
});

test('a visitor past its limit is refused before anything is read', async () => {
  const { relay, up } = relayWith({ visitorLimit: { requests: 1, windowMs: 60_000 } });
  const capability = await create(relay, 'helpwave');
  assert.equal((await read(relay, 'helpwave', HELPWAVE_TICKET, capability)).status, 200);
  const before = up.seen.length;
  const response = await read(relay, 'helpwave', HELPWAVE_TICKET, capability);
  assert.deepEqual([response.status, (await response.json()).error], [429, 'RATE_LIMITED']);
  assert.ok(response.headers.get('retry-after'));
  assert.equal(up.seen.length, before);
});

test('a webhookSigningKey that is not mava_wh_ + a PKCS#8 RSA key is a config error that does not quote it', () => {
  const bad = `mava_wh_${'A'.repeat(60)}`;
  const error = thrown(() => relayWith({ mava: { apiKey: KEYS.mava, webhookSigningKey: bad } }));
  assert.ok(error instanceof TicketwireError);
  assert.equal(error.kind, 'config');
  assert.match(error.message, /webhookSigningKey/);
  assert.ok(!error.message.includes(bad) && !error.message.includes('A'.repeat(40)), error.message);
});

test("a store of the app's own (conversations) gets each public message and each verified read; what it answers a page must not render is refused", async () => {
  const calls = [];
  const threads = new Map();
  let hostile = false;
  const store = {
    async append(thread, messages, keys) {
      calls.push(['append', thread, messages.map((m) => m.id), keys.length]);
      threads.set(thread, [...(threads.get(thread) ?? []), ...messages]);
      return { added: messages.length };
    },
    async read(thread, order) {
      calls.push(['read', thread, order]);
      const messages = threads.get(thread) ?? [];
      if (hostile) return { messages: [{ ...messages[0], attachments: [{ url: 'javascript:alert(1)', fileName: 'x', fileType: 'x' }] }], cursor: 'app-1' };
      return { messages, cursor: `app-${messages.length}` };
    },
  };
  const { relay } = relayWith({ conversations: store });
  const capability = await create(relay, 'mava');
  const ok = await webhook(relay, seal(message('m1'), 'wh_store_1').fields);
  assert.equal(ok.status, 200);
  await webhook(relay, seal(message('n1', { messageType: 'InternalNote' }), 'wh_store_2').fields);
  assert.deepEqual(calls, [['append', `mava/${MAVA_TICKET}`, ['m1'], 2]], 'the note never reaches the store');

  const response = await read(relay, 'mava', MAVA_TICKET, capability, '?wait=5');
  const body = await response.json();
  assert.deepEqual([response.status, body.messages.map((m) => m.text), body.cursor], [200, ['Hello Jane, café ☕'], 'app-1']);
  assert.equal(response.headers.get('x-ticketwire-socket'), null, 'a store without connect() offers no socket');
  const expiry = Number(capability.split('.')[1]);
  assert.deepEqual(calls[1], ['read', `mava/${MAVA_TICKET}`, { waitMs: 5000, capability, expiry }]);

  hostile = true;
  const refused = await read(relay, 'mava', MAVA_TICKET, capability);
  assert.equal(refused.status, 500);
  assert.ok(!(await refused.text()).includes('javascript:'));

  // A store that fails: the webhook is not acknowledged (Mava delivers it again).
  const { relay: failing } = relayWith({ conversations: { append: async () => { throw new Error('disk full'); }, read: async () => ({}) } });
  const failed = await webhook(failing, seal(message('m9'), 'wh_store_9').fields);
  assert.equal(failed.status, 500);
  // A socket asked of a relay whose store takes none.
  const socket = await read(relay, 'mava', MAVA_TICKET, capability, '', { upgrade: 'websocket' });
  assert.deepEqual([socket.status, (await socket.json()).error], [400, 'SOCKET_NOT_SERVED']);
});

test('conversations must be a store: a clear config error otherwise', () => {
  const error = thrown(() => relayWith({ conversations: { append() {} } }));
  assert.ok(error instanceof TicketwireError);
  assert.equal(error.kind, 'config');
  assert.match(error.message, /conversations must be an object with append\(\) and read\(\) methods/);
});
