// The demo's proxy in front of the relay (www/relay-proxy.mjs): requests and WebSocket
// upgrades pass through, both ways, and a refused upgrade comes back whole; what came from the
// page is counted apart from the sandbox's webhooks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import { relayProxy } from '../../www/relay-proxy.mjs';

let relay;
let proxy;
let proxyUrl;
const listen = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`)));

before(async () => {
  // A stand-in relay: answers requests with their method and path; accepts upgrades on
  // /conversations/1 (then echoes in capitals), refuses them elsewhere with a JSON 403.
  relay = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end(`${req.method} ${req.url}`));
  });
  relay.on('upgrade', (req, socket) => {
    if (req.url !== '/conversations/1') {
      const body = '{"error":"CAPABILITY_REQUIRED"}';
      socket.end(`HTTP/1.1 403 Forbidden\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`);
      return;
    }
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\nx-seen-upgrade: ${req.headers.upgrade}\r\n\r\n`);
    socket.on('data', (chunk) => socket.write(chunk.toString().toUpperCase()));
    socket.on('end', () => socket.end());
  });
  proxy = relayProxy(await listen(relay));
  proxyUrl = await listen(proxy.server);
});

after(() => {
  proxy.server.closeAllConnections();
  proxy.server.close();
  relay.closeAllConnections();
  relay.close();
});

const upgrade = (path) => new Promise((resolve, reject) => {
  const req = request(`${proxyUrl}${path}`, { headers: { connection: 'Upgrade', upgrade: 'websocket' } });
  req.on('upgrade', (answer, socket) => resolve({ answer, socket }));
  req.on('response', async (answer) => {
    let body = '';
    for await (const chunk of answer) body += chunk;
    resolve({ answer, body });
  });
  req.on('error', reject);
  req.end();
});

test('a WebSocket upgrade passes through, and bytes flow both ways', async () => {
  const { answer, socket } = await upgrade('/conversations/1');
  assert.deepEqual([answer.statusCode, answer.headers.upgrade, answer.headers['x-seen-upgrade']], [101, 'websocket', 'websocket']);
  socket.write('hello, relay');
  const [echo] = await new Promise((resolve) => socket.once('data', (chunk) => resolve([chunk.toString()])));
  assert.equal(echo, 'HELLO, RELAY');
  socket.destroy();
  assert.deepEqual(proxy.log.at(-1), { method: 'GET', path: '/conversations/1', status: 101, upgrade: true });
});

test('a refused upgrade comes back whole: its status, headers and body', async () => {
  const { answer, body } = await upgrade('/conversations/2');
  assert.deepEqual([answer.statusCode, answer.headers['content-type'], body], [403, 'application/json', '{"error":"CAPABILITY_REQUIRED"}']);
  assert.deepEqual(proxy.log.at(-1), { method: 'GET', path: '/conversations/2', status: 403, upgrade: true });
});

test("requests pass through; the sandbox's webhooks are not counted as the page's", async () => {
  const counted = proxy.fromPage();
  const answer = await fetch(`${proxyUrl}/helpwave/api/v1/customers`, { method: 'POST', body: '{}' });
  assert.equal(await answer.text(), 'POST /helpwave/api/v1/customers');
  await (await fetch(`${proxyUrl}/mava/webhooks`, { method: 'POST', body: '{}' })).text();
  assert.equal(proxy.fromPage(), counted + 1);
  assert.deepEqual(proxy.log.at(-1), { method: 'POST', path: '/mava/webhooks', status: 200, upgrade: false });
});
