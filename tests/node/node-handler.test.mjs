// `ticketwire/node`: the relay in Node's own http server. A real socket, a real client, a
// recording upstream: what the visitor gets, what reached upstream, and who the visitor was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createRelay } from 'ticketwire';
import { toNodeHandler, nodeVisitorKey } from 'ticketwire/node';

const ORIGIN = 'https://shop.example';

function relayWith(extra = {}) {
  const seen = [];
  const relay = createRelay({
    mava: { apiKey: 'sk_mava_node_handler_1', baseUrl: 'https://mava.upstream.example', rateLimitQuota: { requests: 1_000_000, windowMs: 1_000 } },
    allowedOrigins: [ORIGIN],
    visitorKey: nodeVisitorKey,
    basePath: '/support',
    fetch: async (url, init) => {
      seen.push({ url, body: init.body });
      return Response.json({ ticket: { _id: '6650a1b2c3d4e5f678901234' } }, { status: 201 });
    },
    ...extra,
  });
  return { relay, seen };
}

async function serve(handler) {
  const server = http.createServer(handler);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

const create = (url, body = { customer: { email: 'jane@example.com' } }) => fetch(`${url}/support/mava/api/ticket`, {
  method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: JSON.stringify(body),
});

test('a relay in node:http serves the providers\' routes under its base path, body streamed', async () => {
  const { relay, seen } = relayWith();
  const server = await serve(toNodeHandler(relay));
  try {
    const response = await create(server.url);
    assert.equal(response.status, 201);
    assert.equal(response.headers.get('access-control-allow-origin'), ORIGIN);
    assert.deepEqual(await response.json(), { ticket: { _id: '6650a1b2c3d4e5f678901234' } });
    assert.deepEqual(seen, [{ url: 'https://mava.upstream.example/api/ticket', body: '{"customer":{"email":"jane@example.com"}}' }]);
    const refused = await fetch(`${server.url}/support/mava/api/tickets`, { headers: { origin: ORIGIN } });
    assert.deepEqual([refused.status, (await refused.json()).error], [404, 'NOT_FOUND']);
  } finally {
    await server.close();
  }
});

test('each visitor is its socket address, which no header can change', async () => {
  const { relay, seen } = relayWith({ visitorLimit: { requests: 2, windowMs: 60_000 } });
  const server = await serve(toNodeHandler(relay));
  try {
    const spoofing = (ip) => fetch(`${server.url}/support/mava/api/ticket`, {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/json', 'cf-connecting-ip': ip, 'x-forwarded-for': ip },
      body: JSON.stringify({ customer: { email: 'jane@example.com' } }),
    });
    assert.equal((await spoofing('203.0.113.1')).status, 201);
    assert.equal((await spoofing('203.0.113.2')).status, 201);
    const third = await spoofing('203.0.113.3');
    assert.deepEqual([third.status, (await third.json()).error], [429, 'RATE_LIMITED'], 'one visitor: 127.0.0.1');
    assert.equal(seen.length, 2);
  } finally {
    await server.close();
  }
});

test('behind a body parser: its raw body is used, and without one the answer says to mount the relay first', async () => {
  const { relay, seen } = relayWith();
  const relayHandler = toNodeHandler(relay);
  // What express.json() leaves: the stream read, `req.body` parsed, `req._body` set.
  const parsing = (keepRaw) => (req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString();
      req._body = true;
      req.body = JSON.parse(text);
      if (keepRaw) req.rawBody = text;
      relayHandler(req, res);
    });
  };
  const raw = await serve(parsing(true));
  const parsedOnly = await serve(parsing(false));
  try {
    assert.equal((await create(raw.url)).status, 201);
    assert.equal(seen[0].body, '{"customer":{"email":"jane@example.com"}}');
    const refused = await create(parsedOnly.url);
    const body = await refused.json();
    assert.equal(refused.status, 500);
    assert.equal(body.error, 'RELAY_ERROR');
    assert.match(body.message, /already read by a body parser .*mount the relay before the parser/);
    assert.equal(seen.length, 1, 'nothing went upstream');
  } finally {
    await raw.close();
    await parsedOnly.close();
  }
});
