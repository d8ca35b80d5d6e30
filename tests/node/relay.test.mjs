// createRelay (CONTRACT §6) in Node, driven with `relay.fetch(new Request(…))` and a recording
// upstream: every refusal asserts its status, its code, and that nothing reached upstream.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { HelpWaveClient, MavaClient, TickitiClient, TicketwireError, createRelay } from 'ticketwire';

const ORIGIN = 'https://shop.example';
const RELAY = 'https://relay.example';
const KEYS = { mava: 'sk_mava_relay_key_1', helpwave: 'sk_helpwave_relay_key_1', tickiti: 'sk_tickiti/relay+key=1' };
const CAPABILITY_SECRET = 'c'.repeat(32);
const IDENTITY_SECRET = 'i'.repeat(32);

/** An upstream that records every request and answers from `answer(request)`. */
function upstream(answer = () => Response.json({ ok: true })) {
  const seen = [];
  const fetch = async (url, init) => {
    const request = { url, method: init.method, headers: { ...init.headers }, body: init.body ?? null };
    seen.push(request);
    return answer(request);
  };
  return { fetch, seen };
}

const PLENTY = { requests: 1_000_000, windowMs: 1_000 };
const TICKET = { _id: '6650a1b2c3d4e5f678901234', status: 'Open' };
const answers = (request) => {
  if (request.url.endsWith('/api/ticket') && request.method === 'POST') return Response.json({ ticket: TICKET }, { status: 201 });
  if (request.url.endsWith('/api/v1/tickets')) return Response.json({ success: true, ticket: { id: '987654321012345678', customerID: 123 } });
  if (request.url.endsWith('/comments') && request.method === 'POST') return Response.json({ success: true, comment: { id: 1, text: JSON.parse(request.body).text } });
  if (request.url.endsWith('/comments')) return Response.json({ success: true, comments: [], totalCount: 0 });
  if (request.url.endsWith('/api/tickets/create')) return Response.json({ ticket_number: 482113, ticket_id: 9, secure_id: 's' });
  if (request.url.endsWith('/api/v1/customers')) {
    return Response.json({ success: true, existing: true, customer: { id: 123, email: 'j@example.com', phone_number: '+4915112345', first_name: 'Jo' } });
  }
  return Response.json({ ok: true });
};

function relayWith(extra = {}, answer = answers) {
  const up = upstream(answer);
  const relay = createRelay({
    // A quota no test here reaches: every relay in this process shares the key's window.
    mava: { apiKey: KEYS.mava, baseUrl: 'https://mava.upstream.example', operations: extra.identitySecret ? ['createTicket', 'identify'] : ['createTicket'], rateLimitQuota: PLENTY },
    helpwave: { apiKey: KEYS.helpwave, baseUrl: 'https://helpwave.upstream.example', operations: ['createTicket', 'identify', 'sendMessage', 'listComments'] },
    tickiti: { apiKey: KEYS.tickiti, baseUrl: 'https://tickiti.upstream.example', operations: ['createTicket', 'createTicketUnified', 'sendMessage'] },
    allowedOrigins: [ORIGIN],
    capabilitySecret: CAPABILITY_SECRET,
    fetch: up.fetch,
    // Outside Workers nothing the platform sets names the visitor: the server says who it is.
    visitorKey: (request) => request.headers.get('x-client-address') ?? 'unknown',
    ...extra,
  });
  return { relay, seen: up.seen };
}

const post = (path, body, headers = {}) => new Request(`${RELAY}${path}`, {
  method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
});

async function refused(relay, seen, request, status, code) {
  const response = await relay.fetch(request);
  const body = await response.json();
  assert.deepEqual([response.status, body.error], [status, code], JSON.stringify(body));
  assert.equal(seen.length, 0, 'nothing reached upstream');
  return { response, body };
}

const BASE_URLS = { mava: 'https://mava.upstream.example', helpwave: 'https://helpwave.upstream.example', tickiti: 'https://tickiti.upstream.example' };
/** Which upstream a capability was minted for: FNV-1a (64 bits) of base URL, newline, key. */
const fingerprint = (baseUrl, key) => {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(`${baseUrl}\n${key}`)) hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return hash.toString(16).padStart(16, '0');
};
const capability = (provider, id, expiry, { holds = 'ticket', key = KEYS[provider] } = {}) => {
  const signed = `ticketwire capability v2\n${holds}\n${provider}\n${fingerprint(BASE_URLS[provider], key)}\n${id}\n${expiry}`;
  return `tw1.${expiry}.${createHmac('sha256', CAPABILITY_SECRET).update(signed).digest('base64url')}`;
};
const inADay = () => Math.floor(Date.now() / 1000) + 86_400;

test('bad options throw a config error, with no key or secret in it', () => {
  const cases = [
    [{ allowedOrigins: [ORIGIN] }, "createRelay options are invalid: options must have at least one of 'mava', 'helpwave' or 'tickiti'"],
    [{ mava: { apiKey: KEYS.mava }, allowedOrigins: ['*'] }, 'createRelay options are invalid: options/allowedOrigins/0 must be an origin: http(s)://host[:port], with no path'],
    [{ mava: { apiKey: KEYS.mava }, allowedOrigins: ['https://shop.example/'] }, 'createRelay options are invalid: options/allowedOrigins/0 must be an origin: http(s)://host[:port], with no path'],
    [{ mava: { apiKey: KEYS.mava } }, "createRelay options are invalid: options must have required property 'allowedOrigins'"],
    [{ mava: { apiKey: KEYS.mava, operations: ['createTicket', 'listTickets'] }, allowedOrigins: [ORIGIN] }, "createRelay: Mava listTickets reads everyone's data: a relay never serves it"],
    [{ mava: { apiKey: KEYS.mava, operations: ['listAgents'] }, allowedOrigins: [ORIGIN], capabilitySecret: CAPABILITY_SECRET }, "createRelay: Mava listAgents reads everyone's data: a relay never serves it"],
    [{ mava: { apiKey: KEYS.mava, operations: ['iterateTickets'] }, allowedOrigins: [ORIGIN] }, "createRelay: Mava iterateTickets reads everyone's data: a relay never serves it"],
    [{ helpwave: { apiKey: KEYS.helpwave, baseUrl: 'https://h.example', operations: ['sendMessage'] }, allowedOrigins: [ORIGIN] }, 'createRelay: HelpWave sendMessage acts on an existing ticket: enable it only with a capabilitySecret'],
    [{ mava: { apiKey: KEYS.mava, operations: ['sendMessage'] }, allowedOrigins: [ORIGIN], capabilitySecret: CAPABILITY_SECRET }, 'createRelay: Mava sendMessage speaks or acts as the business: a relay never serves it'],
    [{ mava: { apiKey: KEYS.mava, operations: ['updateTicket'] }, allowedOrigins: [ORIGIN], capabilitySecret: CAPABILITY_SECRET }, 'createRelay: Mava updateTicket speaks or acts as the business: a relay never serves it'],
    [{ mava: { apiKey: KEYS.mava, operations: ['identify'] }, allowedOrigins: [ORIGIN] }, "createRelay: Mava identify reads and rewrites a customer's record by what the visitor names: enable it only with an identitySecret"],
    [{ mava: { apiKey: KEYS.mava, ticketDefaults: { priority: 9 } }, allowedOrigins: [ORIGIN] }, 'createRelay mava: ticketDefaults/priority must be equal to one of the allowed values'],
    [{ mava: { apiKey: KEYS.mava, ticketDefaults: { customer: { email: 'a@b.co' } } }, allowedOrigins: [ORIGIN] }, "createRelay mava: customer is the visitor's to send, not a default"],
    [{ mava: { apiKey: KEYS.mava }, allowedOrigins: [ORIGIN], visitorShare: 1.5 }, 'createRelay options are invalid: options/visitorShare must be greater than 0 and at most 1'],
    [{ mava: { apiKey: KEYS.mava }, allowedOrigins: [ORIGIN], capabilitySecret: 'short-secret-1234' }, 'createRelay options are invalid: options/capabilitySecret must NOT have fewer than 32 characters'],
    [{ mava: { apiKey: KEYS.mava }, allowedOrigins: [ORIGIN], basePath: 'support/' }, "createRelay options are invalid: options/basePath must be empty or start with '/' and not end with one"],
    [{ tickiti: { apiKey: KEYS.tickiti }, allowedOrigins: [ORIGIN] }, "createRelay options are invalid: options/tickiti must have required property 'baseUrl'"],
    [{ helpwave: { apiKey: KEYS.helpwave, baseUrl: 'ftp://h.example' }, allowedOrigins: [ORIGIN] }, 'createRelay helpwave options are invalid: options/baseUrl must be an absolute http(s) URL'],
    // Host values (functions, a limiter): each refused for what it must be, in the table's order.
    [{ mava: { apiKey: KEYS.mava }, allowedOrigins: [ORIGIN], now: 1, visitorKey: 'ip', rateLimit: {}, fetch: 'x' }, 'createRelay options are invalid: options/fetch must be function; options/rateLimit must be an object with an acquire() method; options/visitorKey must be function; options/now must be function'],
    [{ mava: { apiKey: KEYS.mava }, allowedOrigins: [ORIGIN], rateLimit: 'wait' }, 'createRelay options are invalid: options/rateLimit must be an object with an acquire() method'],
  ];
  for (const [options, message] of cases) {
    let error;
    try { createRelay({ visitorKey: () => 'v', ...options }); } catch (e) { error = e; }
    assert.ok(error instanceof TicketwireError, JSON.stringify(options));
    assert.deepEqual([error.kind, error.provider, error.message], ['config', 'relay', message]);
    for (const secret of [...Object.values(KEYS), CAPABILITY_SECRET]) assert.ok(!JSON.stringify(error).includes(secret) && !error.message.includes(secret));
  }
});

test('a request without an allowed Origin is 403 ORIGIN_NOT_ALLOWED, with no CORS headers', async () => {
  const { relay, seen } = relayWith();
  for (const origin of [undefined, 'https://evil.example', 'https://shop.example.evil.example']) {
    const headers = { 'content-type': 'application/json' };
    if (origin) headers.origin = origin;
    const request = new Request(`${RELAY}/mava/api/ticket`, { method: 'POST', headers, body: '{}' });
    const { response } = await refused(relay, seen, request, 403, 'ORIGIN_NOT_ALLOWED');
    assert.equal(response.headers.get('access-control-allow-origin'), null);
  }
});

test('a preflight from an allowed origin for an enabled route answers 204 with exactly what the client needs', async () => {
  const { relay, seen } = relayWith();
  const response = await relay.fetch(new Request(`${RELAY}/helpwave/api/v1/tickets/12/comments`, {
    method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-ticketwire-capability' },
  }));
  assert.equal(response.status, 204);
  assert.deepEqual(Object.fromEntries(response.headers), {
    'access-control-allow-origin': ORIGIN,
    'access-control-allow-methods': 'POST',
    'access-control-allow-headers': 'content-type, idempotency-key, x-ticketwire-capability, x-ticketwire-user-hash',
    'access-control-expose-headers': 'retry-after, x-ticketwire-capability, x-ticketwire-socket',
    'access-control-max-age': '600',
    vary: 'origin',
  });
  assert.equal(response.headers.get('access-control-allow-credentials'), null);
  const other = await relay.fetch(new Request(`${RELAY}/mava/api/agents`, { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'GET' } }));
  assert.equal(other.status, 404);
  assert.equal(seen.length, 0);
});

test('routes are matched as they arrive: anything but an enabled operation with its method is 404', async () => {
  const { relay, seen } = relayWith();
  const paths = [
    ['POST', '/mava/api%2fticket'], ['POST', '/mava/api%2Fticket'], ['POST', '/mava/api%5cticket'], ['POST', '/mava/api/ticket%2e'],
    ['POST', '/mava//api/ticket'], ['POST', '/mava/api/ticket/'], ['POST', '/Mava/api/ticket'], ['POST', '/mava/api/Ticket'],
    ['GET', '/mava/api/ticket'], ['POST', '/mava/api/agents'], ['GET', '/mava/api/tickets'], ['POST', '/zendesk/api/ticket'],
    ['POST', '/helpwave/api/v1/tickets/12/comments/x'], ['PUT', '/mava/api/categories'],
  ];
  for (const [method, path] of paths) {
    const init = { method, headers: { origin: ORIGIN, 'content-type': 'application/json' } };
    if (method !== 'GET') init.body = '{}';
    await refused(relay, seen, new Request(`${RELAY}${path}`, init), 404, 'NOT_FOUND');
  }
});

test('only a JSON body within maxBodyBytes is read: 415, 413 (declared, lying or streamed), 400 for invalid JSON or UTF-8', async () => {
  const { relay, seen } = relayWith({ maxBodyBytes: 100 });
  await refused(relay, seen, post('/mava/api/ticket', '{}', { 'content-type': 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
  await refused(relay, seen, post('/mava/api/ticket', 'x'.repeat(101)), 413, 'BODY_TOO_LARGE');
  let pulled = 0;
  const endless = new ReadableStream({ pull(controller) { pulled += 1; controller.enqueue(new Uint8Array(64)); } });
  const streamed = new Request(`${RELAY}/mava/api/ticket`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: endless, duplex: 'half' });
  await refused(relay, seen, streamed, 413, 'BODY_TOO_LARGE');
  assert.ok(pulled <= 4, `read ${pulled} chunks of 64 bytes past a 100-byte limit`);
  const lying = new Request(`${RELAY}/mava/api/ticket`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json', 'content-length': '2' }, body: new ReadableStream({ start(c) { c.enqueue(new Uint8Array(500)); c.close(); } }), duplex: 'half' });
  await refused(relay, seen, lying, 413, 'BODY_TOO_LARGE');
  const notJson = await relay.fetch(post('/mava/api/ticket', '{"customer":'));
  assert.deepEqual([notJson.status, await notJson.json()], [400, { error: 'VALIDATION_ERROR', message: 'body must be valid JSON' }]);
  const badUtf8 = await relay.fetch(post('/helpwave/api/v1/customers', new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d])));
  assert.deepEqual([badUtf8.status, await badUtf8.json()], [400, { error: 'body must be valid JSON' }]);
  assert.equal(seen.length, 0);
});

test("violations answer in each provider's own format, so the browser client maps them as the provider's", async () => {
  const { relay, seen } = relayWith();
  const mava = await relay.fetch(post('/mava/api/ticket', { customer: { email: 'not-an-email' } }));
  assert.deepEqual([mava.status, await mava.json()], [400, { error: 'VALIDATION_ERROR', message: 'body/customer/email must match format "email"' }]);
  const helpwave = await relay.fetch(post('/helpwave/api/v1/tickets', { customerId: 123 }));
  assert.deepEqual([helpwave.status, await helpwave.json()], [400, { error: "body must have required property 'Channel'" }]);
  const tickiti = await relay.fetch(post('/tickiti/api/create_ticket', { originator_email_address: 'a@b.co' }));
  const body = await tickiti.json();
  assert.deepEqual([tickiti.status, body.code], [422, 'validation_failed']);
  assert.equal(seen.length, 0);
  const client = new MavaClient({ baseUrl: `${RELAY}/mava`, fetch: (url, init) => relay.fetch(new Request(url, { ...init, headers: { ...init.headers, origin: ORIGIN } })) });
  const error = await client.createTicket({ customer: { email: 'jane@example.com' }, sourceType: 'web' }, {}).then(() => null, (e) => e);
  assert.equal(error, null, 'a valid input goes through');
});

test("what goes upstream is the SDK's own prepared request with the relay's key; nothing else the client sent", async () => {
  const { relay, seen } = relayWith();
  const response = await relay.fetch(post('/mava/api/ticket', { customer: { email: 'jane@example.com' } }, {
    authorization: 'Bearer stolen', 'x-auth-token': 'sk_visitor_guess', 'x-api-key': 'x', cookie: 'session=1', 'x-forwarded-host': 'evil.example',
  }));
  assert.equal(response.status, 201);
  assert.deepEqual(seen, [{
    url: 'https://mava.upstream.example/api/ticket',
    method: 'POST',
    headers: { 'x-auth-token': KEYS.mava, 'content-type': 'application/json' },
    body: '{"customer":{"email":"jane@example.com"}}',
  }]);
});

test("Tickiti's idempotency-key passes as given, is generated when absent, and a malformed one is refused", async () => {
  const { relay, seen } = relayWith();
  const body = { originator_email_address: 'a@b.co', data: { subject: 's', content: 'c' } };
  await relay.fetch(post('/tickiti/api/create_ticket', body, { 'idempotency-key': 'crm-claim-58221' }));
  await relay.fetch(post('/tickiti/api/create_ticket', body));
  assert.deepEqual(seen.map((r) => Object.keys(r.headers)), [['authorization', 'content-type', 'idempotency-key'], ['authorization', 'content-type', 'idempotency-key']]);
  assert.equal(seen[0].headers['idempotency-key'], 'crm-claim-58221');
  assert.match(seen[1].headers['idempotency-key'], /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(seen[0].headers.authorization, `Bearer ${KEYS.tickiti}`);
  seen.length = 0;
  await refused(relay, seen, post('/tickiti/api/create_ticket', body, { 'idempotency-key': 'k'.repeat(256) }), 400, 'INVALID_IDEMPOTENCY_KEY');
});

test('the answer is the upstream status and body, without the key even when echoed, with content-type and retry-after only', async () => {
  const echo = `{"error":"bad key ${KEYS.tickiti}","basic":"${Buffer.from(`u:${KEYS.tickiti}`).toString('base64')}","url":"${encodeURIComponent(KEYS.tickiti)}"}`;
  const { relay } = relayWith({}, () => new Response(echo, {
    status: 401, headers: { 'content-type': 'application/json', 'retry-after': '7', 'set-cookie': 'upstream=1', 'x-powered-by': 'laravel', server: 'nginx' },
  }));
  const response = await relay.fetch(post('/tickiti/api/tickets/create', { originator_email_address: 'a@b.co', content: 'hi' }));
  const text = await response.text();
  assert.equal(response.status, 401);
  for (const form of [KEYS.tickiti, encodeURIComponent(KEYS.tickiti), Buffer.from(`u:${KEYS.tickiti}`).toString('base64')]) assert.ok(!text.includes(form), text);
  assert.equal(JSON.parse(text).error, 'bad key [redacted]');
  assert.deepEqual([...response.headers.keys()].sort(), ['access-control-allow-origin', 'access-control-expose-headers', 'content-type', 'retry-after', 'vary']);
  assert.equal(response.headers.get('retry-after'), '7');
});

test('a create answers with a capability, and a call on that ticket needs exactly it', async () => {
  const { relay, seen } = relayWith();
  const customer = capability('helpwave', '123', inADay(), { holds: 'customer' });
  const created = await relay.fetch(post('/helpwave/api/v1/tickets', { customerId: 123, Channel: 'Website' }, { 'x-ticketwire-capability': customer }));
  const token = created.headers.get('x-ticketwire-capability');
  assert.match(token, /^tw1\.\d+\.[A-Za-z0-9_-]{43}$/);
  assert.equal(token, capability('helpwave', '987654321012345678', Number(token.split('.')[1])));
  seen.length = 0;
  const comment = (ticket, headers) => post(`/helpwave/api/v1/tickets/${ticket}/comments`, { text: 'Any news?' }, headers);
  const ok = await relay.fetch(comment('987654321012345678', { 'x-ticketwire-capability': token }));
  assert.equal(ok.status, 200);
  assert.deepEqual(JSON.parse(seen[0].body), { text: 'Any news?', isFromShop: false });
  seen.length = 0;
  const expiry = inADay();
  const forged = token.slice(0, -2) + (token.endsWith('AA') ? 'BA' : 'AA');
  for (const [ticket, header] of [
    ['987654321012345678', undefined],
    ['987654321012345678', 'garbage'],
    ['987654321012345678', forged],
    ['987654321012345679', token], // another ticket
    ['987654321012345678', capability('mava', '987654321012345678', expiry)], // another provider
    ['987654321012345678', capability('helpwave', '987654321012345678', expiry, { key: 'another shop key' })], // another upstream
    ['987654321012345678', capability('helpwave', '987654321012345678', expiry, { holds: 'customer' })], // a customer's
    ['987654321012345678', capability('helpwave', '987654321012345678', Math.floor(Date.now() / 1000) - 1)], // expired
  ]) {
    await refused(relay, seen, comment(ticket, header ? { 'x-ticketwire-capability': header } : {}), 403, 'CAPABILITY_REQUIRED');
  }
  const list = new Request(`${RELAY}/helpwave/api/v1/tickets/987654321012345678/comments`, { headers: { origin: ORIGIN } });
  await refused(relay, seen, list, 403, 'CAPABILITY_REQUIRED');
});

test('a capability expires after 24 hours, by the relay clock', async () => {
  let now = Date.parse('2026-12-03T12:00:00Z');
  const { relay, seen } = relayWith({ now: () => now });
  const created = await relay.fetch(post('/mava/api/ticket', { customer: { email: 'jane@example.com' } }));
  assert.equal(created.headers.get('x-ticketwire-capability').split('.')[1], String(now / 1000 + 86_400));
  const helpwave = await relay.fetch(post('/helpwave/api/v1/tickets', { customerId: 123, Channel: 'Website' }, { 'x-ticketwire-capability': capability('helpwave', '123', now / 1000 + 60, { holds: 'customer' }) }));
  const token = helpwave.headers.get('x-ticketwire-capability');
  seen.length = 0;
  const message = () => post('/helpwave/api/v1/tickets/987654321012345678/comments', { text: 'Hello again' }, { 'x-ticketwire-capability': token });
  now += 86_399_000;
  assert.equal((await relay.fetch(message())).status, 200);
  seen.length = 0;
  now += 1_000;
  await refused(relay, seen, message(), 403, 'CAPABILITY_REQUIRED');
});

test('a visitor never writes as the business: staff fields are 403 FIELD_NOT_ALLOWED', async () => {
  const { relay, seen } = relayWith();
  for (const businessField of [{ status: 'Resolved' }, { priority: 3 }, { assignedTo: '645abc1234567890abcdef12' }, { tags: ['645abc1234567890abcdef12'] }, { silent: true }]) {
    const { body } = await refused(relay, seen, post('/mava/api/ticket', { customer: { email: 'jane@example.com' }, ...businessField }), 403, 'FIELD_NOT_ALLOWED');
    assert.match(body.message, new RegExp(`^${Object.keys(businessField)[0]} may not be set by a visitor`));
  }
  await refused(relay, seen, post('/tickiti/api/create_ticket', { originator_email_address: 'a@b.co', intervention: 'refund', uid: 'u1', data: {} }), 403, 'FIELD_NOT_ALLOWED');
  await refused(relay, seen, post('/tickiti/api/create_ticket', { originator_email_address: 'a@b.co', template_identifier: 't', is_public: false, data: {} }), 403, 'FIELD_NOT_ALLOWED');
  await refused(relay, seen, new Request(`${RELAY}/mava/api/message`, {
    method: 'PUT', headers: { origin: ORIGIN, 'content-type': 'application/json', 'x-ticketwire-capability': capability('mava', TICKET._id, inADay()) },
    body: JSON.stringify({ ticketId: TICKET._id, content: 'x' }),
  }), 404, 'NOT_FOUND'); // Mava send message speaks as the business: never relayed
  await refused(relay, seen, post('/tickiti/api/v1/tickets/respond', { ticket_number: 482113, content: 'x', is_internal: true }, { 'x-ticketwire-capability': capability('tickiti', '482113', inADay()) }), 403, 'FIELD_NOT_ALLOWED');
  await refused(relay, seen, post('/helpwave/api/v1/tickets/12/comments', { text: 'x', isFromShop: true }, { 'x-ticketwire-capability': capability('helpwave', '12', inADay()) }), 403, 'FIELD_NOT_ALLOWED');
});

test('with an identitySecret, identify needs the user hash of the identity it names', async () => {
  const { relay, seen } = relayWith({ identitySecret: IDENTITY_SECRET });
  const hash = (identity) => createHmac('sha256', IDENTITY_SECRET).update(identity).digest('hex');
  const identify = (body, userHash) => post('/mava/api/identify', body, userHash ? { 'x-ticketwire-user-hash': userHash } : {});
  const body = { emailAddress: 'jane@example.com', plaformUserId: 'u-42' };
  await refused(relay, seen, identify(body), 403, 'IDENTITY_NOT_VERIFIED');
  await refused(relay, seen, identify(body, hash('u-42')), 403, 'IDENTITY_NOT_VERIFIED'); // the hash covers every identity field sent
  await refused(relay, seen, identify(body, hash('jane@example.com')), 403, 'IDENTITY_NOT_VERIFIED');
  await refused(relay, seen, identify(body, hash('u-42\njane@example.com').toUpperCase()), 403, 'IDENTITY_NOT_VERIFIED');
  assert.equal((await relay.fetch(identify(body, hash('u-42\njane@example.com')))).status, 200);
  // A valid hash for a fresh email does not carry a victim's phone number along.
  const helpwave = (body, userHash) => post('/helpwave/api/v1/customers', body, { 'x-ticketwire-user-hash': userHash });
  seen.length = 0;
  await refused(relay, seen, helpwave({ email: 'fresh@example.com', phone_number: '+4915112345' }, hash('fresh@example.com')), 403, 'IDENTITY_NOT_VERIFIED');
  const customers = await relay.fetch(helpwave({ email: 'j@example.com', phone_number: '+4915112345' }, hash('j@example.com\n+4915112345')));
  assert.equal(customers.status, 200);
  assert.equal((await customers.json()).customer.first_name, 'Jo', 'a verified identity reads its own record');
  assert.equal(seen.length, 1);
});

test('each visitor gets visitorLimit; past it 429 with retry-after, nothing upstream', async () => {
  const { relay, seen } = relayWith({ visitorLimit: { requests: 2, windowMs: 10_000 } });
  const from = (ip) => post('/mava/api/ticket', { customer: { email: 'jane@example.com' } }, { 'x-client-address': ip, 'cf-connecting-ip': '198.51.100.9' });
  assert.equal((await relay.fetch(from('203.0.113.1'))).status, 201);
  assert.equal((await relay.fetch(from('203.0.113.1'))).status, 201);
  seen.length = 0;
  const { response } = await refused(relay, seen, from('203.0.113.1'), 429, 'RATE_LIMITED');
  assert.ok(Number(response.headers.get('retry-after')) >= 9, response.headers.get('retry-after'));
  assert.equal((await relay.fetch(from('203.0.113.2'))).status, 201, 'another visitor');
  // IPv6 visitors are keyed by their /64: one host has all of it.
  for (const ip of ['2001:db8:5:6::1', '2001:db8:5:6::2']) assert.equal((await relay.fetch(from(ip))).status, 201);
  seen.length = 0;
  await refused(relay, seen, from('2001:db8:5:6:ffff::3'), 429, 'RATE_LIMITED');
  const keyed = relayWith({ visitorLimit: { requests: 1, windowMs: 10_000 }, visitorKey: (request) => request.headers.get('x-session') ?? 'anonymous' });
  assert.equal((await keyed.relay.fetch(post('/mava/api/ticket', { customer: { email: 'jane@example.com' } }, { 'x-session': 'a' }))).status, 201);
  keyed.seen.length = 0;
  await refused(keyed.relay, keyed.seen, post('/mava/api/ticket', { customer: { email: 'jane@example.com' } }, { 'x-session': 'a' }), 429, 'RATE_LIMITED');
});

test('no answer upstream is the relay\'s own error, saying whether anything was sent', async () => {
  const down = relayWith({}, () => { throw new TypeError('fetch failed'); });
  const unreachable = await down.relay.fetch(post('/mava/api/ticket', { customer: { email: 'jane@example.com' } }));
  assert.deepEqual([unreachable.status, (await unreachable.json()).error], [502, 'UPSTREAM_UNREACHABLE']);
  assert.equal(down.seen.length, 1, 'a create is not sent twice');
});

test('a key-less browser client whose baseUrl is the relay works for every enabled operation, capabilities included', async () => {
  const { relay } = relayWith();
  const viaRelay = (url, init) => relay.fetch(new Request(url, { ...init, headers: { ...init.headers, origin: ORIGIN } }));
  const mava = new MavaClient({ baseUrl: `${RELAY}/mava`, fetch: viaRelay });
  const created = await mava.createTicket({ customer: { email: 'jane@example.com' }, message: { content: 'Hi' } });
  assert.deepEqual(created.ticket, TICKET);
  assert.match(created.capability, /^tw1\./);
  const refusedCall = await mava.createTicket({ customerId: '645abc1234567890abcdef12' }).then(() => null, (e) => e);
  assert.deepEqual([refusedCall.kind, refusedCall.status, refusedCall.code], ['api', 403, 'CAPABILITY_REQUIRED']);

  const helpwave = new HelpWaveClient({ baseUrl: `${RELAY}/helpwave`, fetch: viaRelay });
  const identified = await helpwave.identify({ email: 'j@example.com' });
  assert.deepEqual({ ...identified, capability: undefined }, { success: true, customer: { id: 123 }, capability: undefined }, 'only the id: the identity was not verified');
  assert.equal(identified.capability, capability('helpwave', '123', Number(identified.capability.split('.')[1]), { holds: 'customer' }));
  const ticket = await helpwave.createTicket({ customerId: 123, Channel: 'Website' }, { capability: identified.capability });
  const comment = await helpwave.sendMessage({ ticketId: ticket.ticket.id, text: 'Hello' }, { capability: ticket.capability });
  assert.equal(comment.comment.text, 'Hello');
  assert.deepEqual((await helpwave.listComments(ticket.ticket.id, { capability: ticket.capability })).comments, []);

  const tickiti = new TickitiClient({ baseUrl: `${RELAY}/tickiti`, fetch: viaRelay });
  const unified = await tickiti.createTicketUnified({ originator_email_address: 'a@b.co', content: 'c' });
  assert.equal(unified.ticket_number, 482113);
  assert.deepEqual(await tickiti.sendMessage({ ticket_number: 482113, content: 'x' }, { capability: unified.capability }), { ok: true });
  assert.deepEqual(await tickiti.createTicket({ originator_email_address: 'a@b.co', data: { subject: 's', content: 'c' } }), { ok: true });
});

test("the business's fields come from ticketDefaults, merged by the relay", async () => {
  const { relay, seen } = relayWith({
    mava: { apiKey: KEYS.mava, baseUrl: BASE_URLS.mava, rateLimitQuota: PLENTY, ticketDefaults: { priority: 3, tags: ['645abc1234567890abcdef12'], status: 'Pending' } },
    tickiti: { apiKey: KEYS.tickiti, baseUrl: BASE_URLS.tickiti, ticketDefaults: { queue_name: 'web', is_public: true } },
  });
  assert.equal((await relay.fetch(post('/mava/api/ticket', { customer: { email: 'jane@example.com' }, message: { content: 'Hi' } }))).status, 201);
  assert.equal(seen[0].body, '{"customer":{"email":"jane@example.com"},"message":{"content":"Hi"},"priority":3,"tags":["645abc1234567890abcdef12"],"status":"Pending"}');
  assert.equal((await relay.fetch(post('/tickiti/api/tickets/create', { originator_email_address: 'a@b.co', content: 'c' }))).status, 200);
  assert.equal(seen[1].body, '{"originator_email_address":"a@b.co","content":"c","queue_name":"web","is_public":true}');
});

test('a visitor names an existing customer only with the capability identify answered with', async () => {
  const { relay, seen } = relayWith();
  await refused(relay, seen, post('/helpwave/api/v1/tickets', { customerId: 124, Channel: 'Website' }), 403, 'CAPABILITY_REQUIRED');
  const identified = await relay.fetch(post('/helpwave/api/v1/customers', { email: 'j@example.com' }));
  assert.deepEqual(await identified.json(), { success: true, customer: { id: 123 } });
  const token = identified.headers.get('x-ticketwire-capability');
  seen.length = 0;
  await refused(relay, seen, post('/helpwave/api/v1/tickets', { customerId: 124, Channel: 'Website' }, { 'x-ticketwire-capability': token }), 403, 'CAPABILITY_REQUIRED');
  await refused(relay, seen, post('/helpwave/api/v1/tickets', { customerId: 123, Channel: 'Website' }, { 'x-ticketwire-capability': capability('helpwave', '123', inADay()) }), 403, 'CAPABILITY_REQUIRED'); // a ticket's, not a customer's
  assert.equal((await relay.fetch(post('/helpwave/api/v1/tickets', { customerId: 123, Channel: 'Website' }, { 'x-ticketwire-capability': token }))).status, 200);
});

test('outside Workers a relay needs a visitorKey (or visitorLimit: false), and never trusts a client-sent cf-connecting-ip', async () => {
  const options = { mava: { apiKey: KEYS.mava, rateLimitQuota: PLENTY }, allowedOrigins: [ORIGIN] };
  const error = (() => { try { createRelay(options); } catch (e) { return e; } })();
  assert.deepEqual([error?.kind, error?.message], ['config', 'createRelay options are invalid: options/visitorKey is required outside Cloudflare Workers, where no header the platform sets names the visitor: pass visitorKey(request) (e.g. the client address your server saw), or visitorLimit: false']);
  const up = upstream(answers);
  const relay = createRelay({ ...options, fetch: up.fetch, visitorLimit: false });
  for (let i = 0; i < 40; i++) {
    const response = await relay.fetch(post('/mava/api/ticket', { customer: { email: 'jane@example.com' } }, { 'cf-connecting-ip': `203.0.113.${i}` }));
    assert.equal(response.status, 201);
  }
});

test("visitors use at most visitorShare of the provider key's quota: the rest is the business's", async () => {
  // A key of its own, so no other test's calls count in its window.
  const key = 'sk_mava_share_test_key';
  const up = upstream(answers);
  const relay = createRelay({
    mava: { apiKey: key, baseUrl: BASE_URLS.mava, rateLimitQuota: { requests: 4, windowMs: 60_000 } },
    allowedOrigins: [ORIGIN], fetch: up.fetch, visitorKey: (request) => request.headers.get('x-client-address'), visitorShare: 0.5,
  });
  const create = (ip) => post('/mava/api/ticket', { customer: { email: 'jane@example.com' } }, { 'x-client-address': ip });
  assert.equal((await relay.fetch(create('203.0.113.1'))).status, 201);
  assert.equal((await relay.fetch(create('203.0.113.2'))).status, 201);
  const third = await relay.fetch(create('203.0.113.3'));
  assert.deepEqual([third.status, (await third.json()).error], [429, 'RATE_LIMITED']);
  assert.ok(Number(third.headers.get('retry-after')) > 0);
  assert.equal(up.seen.length, 2, 'half of 4 per window went upstream; the other half is the shop backend\'s');
});

test('an upstream answer over maxResponseBytes is a 502, nothing of it relayed', async () => {
  const big = JSON.stringify({ ticket: { ...TICKET, note: 'x'.repeat(5_000) } });
  const { relay } = relayWith({ maxResponseBytes: 1_000 }, () => new Response(big, { status: 201, headers: { 'content-type': 'application/json' } }));
  const response = await relay.fetch(post('/mava/api/ticket', { customer: { email: 'jane@example.com' } }));
  const body = await response.text();
  assert.deepEqual([response.status, JSON.parse(body).error], [502, 'UPSTREAM_RESPONSE_TOO_LARGE']);
  assert.ok(!body.includes('xxxx'));
  assert.equal(response.headers.get('x-ticketwire-capability'), null);
});
