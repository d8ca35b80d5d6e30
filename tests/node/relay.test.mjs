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

const TICKET = { _id: '6650a1b2c3d4e5f678901234', status: 'Open' };
const answers = (request) => {
  if (request.url.endsWith('/api/ticket') && request.method === 'POST') return Response.json({ ticket: TICKET }, { status: 201 });
  if (request.url.endsWith('/api/v1/tickets')) return Response.json({ success: true, ticket: { id: '987654321012345678', customerID: 123 } });
  if (request.url.endsWith('/comments') && request.method === 'POST') return Response.json({ success: true, comment: { id: 1, text: JSON.parse(request.body).text } });
  if (request.url.endsWith('/comments')) return Response.json({ success: true, comments: [], totalCount: 0 });
  if (request.url.endsWith('/api/tickets/create')) return Response.json({ ticket_number: 482113, ticket_id: 9, secure_id: 's' });
  return Response.json({ ok: true });
};

function relayWith(extra = {}, answer = answers) {
  const up = upstream(answer);
  const relay = createRelay({
    mava: { apiKey: KEYS.mava, baseUrl: 'https://mava.upstream.example', operations: ['createTicket', 'identify', 'sendMessage', 'updateTicket'] },
    helpwave: { apiKey: KEYS.helpwave, baseUrl: 'https://helpwave.upstream.example', operations: ['createTicket', 'identify', 'sendMessage', 'listComments'] },
    tickiti: { apiKey: KEYS.tickiti, baseUrl: 'https://tickiti.upstream.example', operations: ['createTicket', 'createTicketUnified', 'sendMessage'] },
    allowedOrigins: [ORIGIN],
    capabilitySecret: CAPABILITY_SECRET,
    fetch: up.fetch,
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

const capability = (provider, ticket, expiry) => {
  const mac = createHmac('sha256', CAPABILITY_SECRET).update(`ticketwire capability v1\n${provider}\n${ticket}\n${expiry}`).digest('base64url');
  return `tw1.${expiry}.${mac}`;
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
    try { createRelay(options); } catch (e) { error = e; }
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
    'access-control-expose-headers': 'retry-after, x-ticketwire-capability',
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
  const error = await client.createTicket({ customerId: '645abc1234567890abcdef12', priority: 2 }, {}).then(() => null, (e) => e);
  assert.equal(error, null, 'a valid input goes through');
});

test("what goes upstream is the SDK's own prepared request with the relay's key; nothing else the client sent", async () => {
  const { relay, seen } = relayWith();
  const response = await relay.fetch(post('/mava/api/ticket', { customerId: '645abc1234567890abcdef12' }, {
    authorization: 'Bearer stolen', 'x-auth-token': 'sk_visitor_guess', 'x-api-key': 'x', cookie: 'session=1', 'x-forwarded-host': 'evil.example',
  }));
  assert.equal(response.status, 201);
  assert.deepEqual(seen, [{
    url: 'https://mava.upstream.example/api/ticket',
    method: 'POST',
    headers: { 'x-auth-token': KEYS.mava, 'content-type': 'application/json' },
    body: '{"customerId":"645abc1234567890abcdef12"}',
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
  const created = await relay.fetch(post('/helpwave/api/v1/tickets', { customerId: 123, Channel: 'Website' }));
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
  const created = await relay.fetch(post('/mava/api/ticket', { customerId: '645abc1234567890abcdef12' }));
  const token = created.headers.get('x-ticketwire-capability');
  assert.equal(token.split('.')[1], String(now / 1000 + 86_400));
  seen.length = 0;
  const message = () => new Request(`${RELAY}/mava/api/message`, {
    method: 'PUT', headers: { origin: ORIGIN, 'content-type': 'application/json', 'x-ticketwire-capability': token },
    body: JSON.stringify({ ticketId: TICKET._id, content: 'Hello again' }),
  });
  now += 86_399_000;
  assert.equal((await relay.fetch(message())).status, 200);
  seen.length = 0;
  now += 1_000;
  await refused(relay, seen, message(), 403, 'CAPABILITY_REQUIRED');
});

test('a visitor never writes as the business: staff fields are 403 FIELD_NOT_ALLOWED', async () => {
  const { relay, seen } = relayWith();
  const mavaToken = capability('mava', TICKET._id, inADay());
  await refused(relay, seen, new Request(`${RELAY}/mava/api/message`, {
    method: 'PUT', headers: { origin: ORIGIN, 'content-type': 'application/json', 'x-ticketwire-capability': mavaToken },
    body: JSON.stringify({ ticketId: TICKET._id, content: 'x', messageType: 'InternalNote' }),
  }), 403, 'FIELD_NOT_ALLOWED');
  await refused(relay, seen, post('/tickiti/api/v1/tickets/respond', { ticket_number: 482113, content: 'x', is_internal: true }, { 'x-ticketwire-capability': capability('tickiti', '482113', inADay()) }), 403, 'FIELD_NOT_ALLOWED');
  await refused(relay, seen, post('/helpwave/api/v1/tickets/12/comments', { text: 'x', isFromShop: true }, { 'x-ticketwire-capability': capability('helpwave', '12', inADay()) }), 403, 'FIELD_NOT_ALLOWED');
});

test('with an identitySecret, identify needs the user hash of the identity it names', async () => {
  const { relay, seen } = relayWith({ identitySecret: IDENTITY_SECRET });
  const hash = (identity) => createHmac('sha256', IDENTITY_SECRET).update(identity).digest('hex');
  const identify = (body, userHash) => post('/mava/api/identify', body, userHash ? { 'x-ticketwire-user-hash': userHash } : {});
  const body = { emailAddress: 'jane@example.com', plaformUserId: 'u-42' };
  await refused(relay, seen, identify(body), 403, 'IDENTITY_NOT_VERIFIED');
  await refused(relay, seen, identify(body, hash('jane@example.com')), 403, 'IDENTITY_NOT_VERIFIED'); // plaformUserId comes first
  await refused(relay, seen, identify(body, hash('u-42').toUpperCase()), 403, 'IDENTITY_NOT_VERIFIED');
  assert.equal((await relay.fetch(identify(body, hash('u-42')))).status, 200);
  const customers = await relay.fetch(post('/helpwave/api/v1/customers', { email: 'j@example.com' }, { 'x-ticketwire-user-hash': hash('j@example.com') }));
  assert.equal(customers.status, 200);
  assert.equal(seen.length, 2);
});

test('each visitor gets visitorLimit; past it 429 with retry-after, nothing upstream', async () => {
  const { relay, seen } = relayWith({ visitorLimit: { requests: 2, windowMs: 10_000 } });
  const from = (ip) => post('/mava/api/ticket', { customerId: '645abc1234567890abcdef12' }, { 'cf-connecting-ip': ip });
  assert.equal((await relay.fetch(from('203.0.113.1'))).status, 201);
  assert.equal((await relay.fetch(from('203.0.113.1'))).status, 201);
  seen.length = 0;
  const { response } = await refused(relay, seen, from('203.0.113.1'), 429, 'RATE_LIMITED');
  assert.ok(Number(response.headers.get('retry-after')) >= 9, response.headers.get('retry-after'));
  assert.equal((await relay.fetch(from('203.0.113.2'))).status, 201, 'another visitor');
  const keyed = relayWith({ visitorLimit: { requests: 1, windowMs: 10_000 }, visitorKey: (request) => request.headers.get('x-session') ?? 'anonymous' });
  assert.equal((await keyed.relay.fetch(post('/mava/api/ticket', { customerId: '645abc1234567890abcdef12' }, { 'x-session': 'a' }))).status, 201);
  keyed.seen.length = 0;
  await refused(keyed.relay, keyed.seen, post('/mava/api/ticket', { customerId: '645abc1234567890abcdef12' }, { 'x-session': 'a' }), 429, 'RATE_LIMITED');
});

test('no answer upstream is the relay\'s own error, saying whether anything was sent', async () => {
  const down = relayWith({}, () => { throw new TypeError('fetch failed'); });
  const unreachable = await down.relay.fetch(post('/mava/api/ticket', { customerId: '645abc1234567890abcdef12' }));
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
  assert.deepEqual(await mava.sendMessage({ ticketId: TICKET._id, content: 'More' }, { capability: created.capability }), { ok: true });
  assert.deepEqual(await mava.updateTicket({ ticketId: TICKET._id, priority: 3 }, { capability: created.capability }), { ok: true });
  const refusedCall = await mava.sendMessage({ ticketId: TICKET._id, content: 'More' }).then(() => null, (e) => e);
  assert.deepEqual([refusedCall.kind, refusedCall.status, refusedCall.code], ['api', 403, 'CAPABILITY_REQUIRED']);
  const identified = await mava.identify({ emailAddress: 'jane@example.com' });
  assert.deepEqual(identified.response, { ok: true });

  const helpwave = new HelpWaveClient({ baseUrl: `${RELAY}/helpwave`, fetch: viaRelay });
  const ticket = await helpwave.createTicket({ customerId: 123, Channel: 'Website' });
  const comment = await helpwave.sendMessage({ ticketId: ticket.ticket.id, text: 'Hello' }, { capability: ticket.capability });
  assert.equal(comment.comment.text, 'Hello');
  assert.deepEqual((await helpwave.listComments(ticket.ticket.id, { capability: ticket.capability })).comments, []);
  assert.deepEqual(await helpwave.identify({ email: 'j@example.com' }), { ok: true });

  const tickiti = new TickitiClient({ baseUrl: `${RELAY}/tickiti`, fetch: viaRelay });
  const unified = await tickiti.createTicketUnified({ originator_email_address: 'a@b.co', content: 'c' });
  assert.equal(unified.ticket_number, 482113);
  assert.deepEqual(await tickiti.sendMessage({ ticket_number: 482113, content: 'x' }, { capability: unified.capability }), { ok: true });
  assert.deepEqual(await tickiti.createTicket({ originator_email_address: 'a@b.co', data: { subject: 's', content: 'c' } }), { ok: true });
});
