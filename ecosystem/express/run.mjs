// Express 5 with the relay through `ticketwire/node` (toNodeHandler), from the packed tarball:
// mounted before a global express.json() as the README shows, it files a ticket in the sandbox
// while the app's own JSON routes still parse; behind a parser that keeps the raw bytes
// (`verify`), it works too; behind one that does not, it answers a 500 that says why.
import express from 'express';
import { createRelay } from 'ticketwire';
import { toNodeHandler, nodeVisitorKey } from 'ticketwire/node';
import { ORIGIN, MAVA_KEY, checkParsedFirst, checkRelay, checkVisitors, same } from '../relay-check.mjs';

const SANDBOX_URL = process.env.SANDBOX_URL;

// The README's relay (with the sandbox as Mava).
const relay = createRelay({
  mava: { apiKey: MAVA_KEY, baseUrl: `${SANDBOX_URL}/mava` },
  allowedOrigins: [ORIGIN],
  basePath: '/support',
  visitorKey: nodeVisitorKey, // required outside Workers: who each request came from
});

async function serve(app) {
  const server = await new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

const passed = [];

// 1. As the README shows: the relay first, then the app's JSON body parser for everything else.
const app = express();
app.use('/support', toNodeHandler(relay)); // before express.json(), or on a path of its own
app.use(express.json());
app.post('/api/orders', (req, res) => res.status(201).json({ received: req.body }));
const readme = await serve(app);
try {
  passed.push(...await checkRelay(`${readme.url}/support`, SANDBOX_URL, 'express'));
  const order = await fetch(`${readme.url}/api/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"sku":"SP-1"}' });
  same({ status: order.status, body: await order.json() }, { status: 201, body: { received: { sku: 'SP-1' } } }, "the app's own JSON route");
  passed.push('express.json() elsewhere');
  passed.push(...await checkVisitors(`${readme.url}/support`));
} finally {
  await readme.close();
}

// 2. A global parser first that keeps the raw bytes: the relay reads those.
const raw = express();
raw.use(express.json({ verify: (req, res, bytes) => { req.rawBody = bytes; } }));
raw.use('/support', toNodeHandler(relay));
const kept = await serve(raw);
try {
  await checkRelay(`${kept.url}/support`, SANDBOX_URL, 'express-rawbody');
  passed.push('parser first, raw body kept');
} finally {
  await kept.close();
}

// 3. A global parser first that keeps nothing: a 500 that says to mount the relay first.
const eaten = express();
eaten.use(express.json());
eaten.use('/support', toNodeHandler(relay));
const parsed = await serve(eaten);
try {
  passed.push(...await checkParsedFirst(`${parsed.url}/support`, SANDBOX_URL));
} finally {
  await parsed.close();
}

console.log(`express ${JSON.parse(await (await import('node:fs/promises')).readFile('node_modules/express/package.json', 'utf8')).version}: ${passed.join(', ')}`);
