// Upstream calls never follow a redirect (CONTRACT §6, issue 21 item 1), over real HTTP: a
// provider that answers 3xx with a `location` on another host gets `UNEXPECTED_REDIRECT` back,
// from a client with a key and from the relay (502, no capability), and the other host
// receives nothing: no key, no body.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { HelpWaveClient, MavaClient, TickitiClient, createRelay } from 'ticketwire';

const KEYS = { mava: 'sk_mava_redirect_key_1', helpwave: 'sk_helpwave_redirect_key_1', tickiti: 'sk_tickiti_redirect_key_1' };
const ORIGIN = 'https://shop.example';
const RELAY = 'https://relay.example';
const CAPABILITY_SECRET = 'c'.repeat(32);
const TICKET_ID = '6650a1b2c3d4e5f678901234';

/** A local HTTP server that records every request (method, path, headers, body). */
async function server(answer) {
  const seen = [];
  const http = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      seen.push({ method: request.method, path: request.url, headers: request.headers, body });
      answer(request, response, body);
    });
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${http.address().port}`, seen, close: () => new Promise((resolve) => http.close(resolve)) };
}

// The other host: answers as a provider would, naming a ticket of its own.
let elsewhere;
// The provider: answers every request with the status of its path's first segment, pointing
// at the other host (`/302/mava/api/ticket` → 302, location: elsewhere/mava/api/ticket), and a
// body that names a ticket too.
let provider;
before(async () => {
  elsewhere = await server((request, response) => {
    response.writeHead(201, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ ticket: { _id: 'ffffffffffffffffffffffff' }, success: true, customer: { id: 1 } }));
  });
  provider = await server((request, response) => {
    const [, status, ...rest] = request.url.split('/');
    response.writeHead(Number(status), { location: `${elsewhere.url}/${rest.join('/')}`, 'content-type': 'application/json' });
    response.end(JSON.stringify({ ticket: { _id: TICKET_ID } }));
  });
});
after(async () => {
  await provider.close();
  await elsewhere.close();
});

const rejection = (promise) => promise.then((value) => assert.fail(`expected a rejection, got ${JSON.stringify(value)}`), (error) => error);
const MAVA_TICKET = { customer: { email: 'visitor@shop.example' }, message: { content: 'where is my order?' } };

test('a client never follows a redirect: the error is UNEXPECTED_REDIRECT and the other host gets nothing', async () => {
  for (const status of [301, 302, 303, 307, 308]) {
    provider.seen.length = 0;
    const base = `${provider.url}/${status}`;
    const mava = new MavaClient({ apiKey: KEYS.mava, baseUrl: `${base}/mava` });
    const helpwave = new HelpWaveClient({ apiKey: KEYS.helpwave, baseUrl: `${base}/helpwave` });
    const tickiti = new TickitiClient({ apiKey: KEYS.tickiti, baseUrl: `${base}/tickiti` });
    const calls = [
      ['mava createTicket', mava.createTicket(MAVA_TICKET)],
      // Idempotent, so retried on a gateway error: a redirect is still sent once.
      ['helpwave identify', helpwave.identify({ email: 'visitor@shop.example' })],
      ['tickiti createTicketUnified', tickiti.createTicketUnified({ originator_email_address: 'visitor@shop.example', content: 'hi' })],
    ];
    for (const [what, call] of calls) {
      const error = await rejection(call);
      assert.deepEqual([error.kind, error.status, error.code], ['api', status, 'UNEXPECTED_REDIRECT'], `${status} ${what}: ${error.message}`);
      assert.ok(!JSON.stringify(error).includes(TICKET_ID), `${status} ${what}: the redirect's body is not the answer`);
    }
    assert.equal(provider.seen.length, 3, `${status}: each call sent once, never retried`);
    assert.deepEqual(elsewhere.seen, [], `${status}: nothing (no key, no body) reached the other host`);
  }
});

test('the relay answers 502 UNEXPECTED_REDIRECT, mints no capability, and the other host gets nothing', async () => {
  for (const status of [302, 307]) {
    const relay = createRelay({
      mava: { apiKey: KEYS.mava, baseUrl: `${provider.url}/${status}/mava` },
      helpwave: { apiKey: KEYS.helpwave, baseUrl: `${provider.url}/${status}/helpwave` },
      allowedOrigins: [ORIGIN],
      capabilitySecret: CAPABILITY_SECRET,
      visitorKey: () => 'visitor',
    });
    for (const [path, body] of [
      ['/mava/api/ticket', MAVA_TICKET],
      ['/helpwave/api/v1/customers', { email: 'visitor@shop.example' }], // would mint a customer capability
    ]) {
      const response = await relay.fetch(new Request(`${RELAY}${path}`, {
        method: 'POST',
        headers: { origin: ORIGIN, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }));
      const text = await response.text();
      assert.equal(response.status, 502, `${status} ${path}: ${text}`);
      assert.equal(JSON.parse(text).error, 'UNEXPECTED_REDIRECT', text);
      assert.equal(response.headers.get('x-ticketwire-capability'), null, `${status} ${path}: nothing minted`);
      assert.ok(!text.includes(TICKET_ID) && !text.includes(elsewhere.url), text);
    }
    // The browser client, through the relay: the same code, with the relay's status.
    const page = new MavaClient({
      baseUrl: `${RELAY}/mava`,
      fetch: (url, init) => relay.fetch(new Request(url, { ...init, headers: { ...init.headers, origin: ORIGIN } })),
    });
    const error = await rejection(page.createTicket(MAVA_TICKET));
    assert.deepEqual([error.kind, error.status, error.code], ['api', 502, 'UNEXPECTED_REDIRECT'], error.message);
    assert.equal(error.capability, undefined);
    assert.deepEqual(elsewhere.seen, [], `${status}: nothing reached the other host`);
  }
});

test("every call asks fetch not to follow, and a browser's opaque redirect (status 0) is the same error, with no status", async () => {
  const inits = [];
  // What a browser's fetch resolves to for `redirect: "manual"`: the redirect hidden.
  const browserFetch = async (url, init) => {
    inits.push(init);
    return { type: 'opaqueredirect', status: 0, ok: false, redirected: false, headers: new Headers(), body: null, text: async () => '' };
  };
  const mava = new MavaClient({ apiKey: KEYS.mava, baseUrl: 'https://api.mava.example', fetch: browserFetch });
  const error = await rejection(mava.createTicket(MAVA_TICKET));
  assert.deepEqual([error.kind, error.status, error.code], ['api', undefined, 'UNEXPECTED_REDIRECT'], error.message);
  assert.deepEqual(inits.map((init) => init.redirect), ['manual'], 'sent once, with redirect: "manual"');
});
