// Fastify 5 with the relay through `ticketwire/node` (toNodeHandler), from the packed tarball:
// in a plugin of its own whose body no parser reads (the README's way), it files a ticket in
// the sandbox while the app's routes keep Fastify's JSON parser; on a route whose body
// Fastify's parser read, it answers a 500 that says why.
import Fastify from 'fastify';
import { readFileSync } from 'node:fs';
import { createRelay } from 'ticketwire';
import { toNodeHandler, nodeVisitorKey } from 'ticketwire/node';
import { ORIGIN, MAVA_KEY, checkParsedFirst, checkRelay, checkVisitors, same } from '../relay-check.mjs';

const SANDBOX_URL = process.env.SANDBOX_URL;

const relay = createRelay({
  mava: { apiKey: MAVA_KEY, baseUrl: `${SANDBOX_URL}/mava` },
  allowedOrigins: [ORIGIN],
  basePath: '/support',
  visitorKey: nodeVisitorKey, // required outside Workers: who each request came from
});
const handler = toNodeHandler(relay);

const app = Fastify();
// The relay in a plugin of its own: no parser reads its bodies, and Fastify hands the raw
// request and response over (reply.hijack()).
app.register(async (relayRoutes) => {
  relayRoutes.removeAllContentTypeParsers();
  relayRoutes.addContentTypeParser('*', (request, payload, done) => done(null));
  relayRoutes.all('/support/*', async (request, reply) => {
    reply.hijack();
    await handler(request.raw, reply.raw);
  });
});
// The app's own routes keep Fastify's JSON parser.
app.post('/api/orders', async (request, reply) => reply.code(201).send({ received: request.body }));
// A route whose body Fastify's parser read first: the relay cannot get it back.
app.post('/parsed/*', async (request, reply) => {
  reply.hijack();
  await handler(request.raw, reply.raw);
});

const address = await app.listen({ port: 0, host: '127.0.0.1' });
const passed = [];
try {
  passed.push(...await checkRelay(`${address}/support`, SANDBOX_URL, 'fastify'));
  const order = await fetch(`${address}/api/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"sku":"SP-1"}' });
  same({ status: order.status, body: await order.json() }, { status: 201, body: { received: { sku: 'SP-1' } } }, "the app's own JSON route");
  passed.push("Fastify's JSON parser elsewhere");
  passed.push(...await checkVisitors(`${address}/support`));
  // The relay's basePath is /support: mounted at /parsed it would not be found, so this one says so only
  // about the body, which is read before anything else.
  passed.push(...await checkParsedFirst(`${address}/parsed`, SANDBOX_URL));
} finally {
  await app.close();
}
console.log(`fastify ${JSON.parse(readFileSync('node_modules/fastify/package.json', 'utf8')).version}: ${passed.join(', ')}`);
