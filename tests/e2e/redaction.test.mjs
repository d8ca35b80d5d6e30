// What the relay passes on never holds its key (CONTRACT §6, issue 21 item 6), over real HTTP:
// an upstream that echoes the key in the headers the relay passes on, or `\u`-escaped in a
// JSON body (the key again once the page runs JSON.parse); and the relay's own message for an
// upstream it could not reach never names that upstream's host or port.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createRelay } from 'ticketwire';

const KEY = 'sk_mava_redact/Key+1';
const ORIGIN = 'https://shop.example';
const RELAY = 'https://relay.example';

/** Every character as `\uXXXX` (upper-case hex), and every third one only (lower case). */
const escapedAll = [...KEY].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`).join('');
const escapedSome = [...KEY].map((c, i) => (i % 3 ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)).join('');

let echo;
before(async () => {
  echo = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(401, { 'content-type': `application/json; echo=${KEY}`, 'retry-after': KEY.toUpperCase() });
      response.end(`{"error":"bad key ${escapedAll}","message":"your key: ${escapedSome}","${escapedSome}":true}`);
    });
  });
  await new Promise((resolve) => echo.listen(0, '127.0.0.1', resolve));
});
after(() => new Promise((resolve) => echo.close(resolve)));

const relayTo = (baseUrl) => createRelay({ mava: { apiKey: KEY, baseUrl }, allowedOrigins: [ORIGIN], visitorKey: () => 'visitor' });
const createTicket = (relay) => relay.fetch(new Request(`${RELAY}/mava/api/ticket`, {
  method: 'POST',
  headers: { origin: ORIGIN, 'content-type': 'application/json' },
  body: JSON.stringify({ customer: { email: 'visitor@shop.example' }, message: { content: 'hi' } }),
}));
const holdsKey = (text) => text.toLowerCase().includes(KEY.toLowerCase());

test('an echo of the key is scrubbed from every upstream header the relay passes on', async () => {
  const response = await createTicket(relayTo(`http://127.0.0.1:${echo.address().port}`));
  assert.equal(response.status, 401);
  for (const [name, value] of response.headers) {
    assert.ok(!holdsKey(value), `${name}: ${value}`);
  }
  assert.equal(response.headers.get('content-type'), 'application/json; echo=[redacted]');
  assert.equal(response.headers.get('retry-after'), '[redacted]');
});

test('a \\u-escaped echo of the key is scrubbed from the body as the page\'s JSON.parse reads it', async () => {
  const response = await createTicket(relayTo(`http://127.0.0.1:${echo.address().port}`));
  const read = JSON.parse(await response.text());
  assert.ok(!holdsKey(JSON.stringify(read)), JSON.stringify(read));
  assert.deepEqual(read, { error: 'bad key [redacted]', message: 'your key: [redacted]', '[redacted]': true });
});

test("the relay's message for an upstream it cannot reach names no host or port", async () => {
  // A port that was just free: nothing listens there.
  const closed = createServer();
  await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = closed.address().port;
  await new Promise((resolve) => closed.close(resolve));
  const response = await createTicket(relayTo(`http://127.0.0.1:${port}`));
  const text = await response.text();
  assert.equal(response.status, 502, text);
  assert.deepEqual(JSON.parse(text), { error: 'UPSTREAM_UNREACHABLE', message: 'Mava createTicket: the provider could not be reached' });
  assert.ok(!text.includes('127.0.0.1') && !text.includes(String(port)), text);
});
