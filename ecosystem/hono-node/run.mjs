// Hono on Node (@hono/node-server), from the packed tarball: the relay is a fetch handler, so a
// route hands it the Request as is, and names the visitor by the connection's address
// (getConnInfo); it files a ticket in the sandbox while the app's own routes read JSON.
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono } from 'hono';
import { readFileSync } from 'node:fs';
import { createRelay } from 'ticketwire';
import { ORIGIN, MAVA_KEY, checkRelay, checkVisitors, same } from '../relay-check.mjs';

const SANDBOX_URL = process.env.SANDBOX_URL;

// Who each request came from: the address the route saw, for the relay's visitor limit.
const visitors = new WeakMap();
const relay = createRelay({
  mava: { apiKey: MAVA_KEY, baseUrl: `${SANDBOX_URL}/mava` },
  allowedOrigins: [ORIGIN],
  basePath: '/support',
  visitorKey: (request) => visitors.get(request) ?? '',
});

const app = new Hono();
app.all('/support/*', (c) => {
  visitors.set(c.req.raw, getConnInfo(c).remote.address);
  return relay.fetch(c.req.raw);
});
app.post('/api/orders', async (c) => c.json({ received: await c.req.json() }, 201));

const server = await new Promise((resolve) => {
  const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
});
const address = `http://127.0.0.1:${server.address().port}`;
const passed = [];
try {
  passed.push(...await checkRelay(`${address}/support`, SANDBOX_URL, 'hono-node'));
  const order = await fetch(`${address}/api/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"sku":"SP-1"}' });
  same({ status: order.status, body: await order.json() }, { status: 201, body: { received: { sku: 'SP-1' } } }, "the app's own JSON route");
  passed.push('c.req.json() elsewhere');
  passed.push(...await checkVisitors(`${address}/support`));
} finally {
  await new Promise((resolve) => server.close(resolve));
}
const version = (name) => JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')).version;
console.log(`hono ${version('hono')} on @hono/node-server ${version('@hono/node-server')}: ${passed.join(', ')}`);
