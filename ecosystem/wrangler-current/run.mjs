// The Durable Object limiter under current wrangler and Miniflare (Node 22), as the workerd
// tests run it under the pinned ones: examples/worker (copied in, so `ticketwire` is the
// tarball's) bundled by `wrangler deploy --dry-run`, run as two isolates that share one
// TicketwireRateLimitObject, with a limit of 4 Mava calls per 3 s. Eight creates at once: all
// filed, never more than 4 in the first window, none refused by the sandbox.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Miniflare, convertV4MiniflareOptions } from 'miniflare';

const SANDBOX_URL = process.env.SANDBOX_URL;
const ORIGIN = 'https://shop.example';
const LIMIT = { requests: 4, windowMs: 3000 };
const CALLS = 8;
const SECOND_ORIGIN = 'https://second.example';

function same(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: got ${a}, expected ${e}`);
}

mkdirSync('src', { recursive: true });
cpSync('../../examples/worker/wrangler.toml', 'wrangler.toml');
cpSync('../../examples/worker/src/index.mjs', 'src/index.mjs');
rmSync('dist', { recursive: true, force: true });
execFileSync('wrangler', ['deploy', '--dry-run', '--outdir', 'dist'], { stdio: 'inherit', env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } });
const script = readdirSync('dist').find((file) => file.endsWith('.js'));
if (!readFileSync(join('dist', script), 'utf8').includes('initSync')) throw new Error('the bundle is not the workerd entry');

const bindings = {
  ALLOWED_ORIGINS: ORIGIN, MAVA_API_KEY: 'sandbox_mava_acme', MAVA_BASE_URL: `${SANDBOX_URL}/mava`,
  MAVA_RATE_LIMIT: `${LIMIT.requests}/${LIMIT.windowMs}`,
};
const names = ['relay1', 'relay2'];
// Miniflare 5 takes a new shape of options; convertV4MiniflareOptions reads the shape the pinned
// Miniflare (tests/workerd/workerd.mjs) takes.
const mf = new Miniflare(convertV4MiniflareOptions({
  stripCfConnectingIp: false,
  workers: names.map((name, i) => ({
    name,
    routes: [`${name}.example/*`],
    // The bundle's modules, named as wrangler wrote them: the script, then its compiled .wasm.
    modules: [
      { type: 'ESModule', path: join('dist', script) },
      ...readdirSync('dist').filter((file) => file.endsWith('.wasm')).map((file) => ({ type: 'CompiledWasm', path: join('dist', file) })),
    ],
    modulesRoot: 'dist',
    compatibilityDate: '2026-04-01',
    // The second isolate also takes a second origin: which one answered shows in the refusal.
    bindings: { ...bindings, ALLOWED_ORIGINS: i === 0 ? ORIGIN : `${ORIGIN},${SECOND_ORIGIN}` },
    durableObjects: { TICKETWIRE_LIMITER: i === 0 ? 'TicketwireRateLimitObject' : { className: 'TicketwireRateLimitObject', scriptName: names[0] } },
  })),
}));
const counts = async () => (await (await fetch(`${SANDBOX_URL}/_sandbox/counts?org=acme`)).json()).mava_tickets;
const upstream = async () => (await fetch(`${SANDBOX_URL}/_sandbox/rate-limit`)).json();
try {
  // Each name reaches its own isolate: the second origin is refused by the first only (a bad
  // input, so nothing is sent).
  const probe = async (name) => (await mf.dispatchFetch(`http://${name}.example/mava/api/ticket`, {
    method: 'POST', headers: { origin: SECOND_ORIGIN, 'content-type': 'application/json' }, body: '{}',
  })).status;
  same([await probe(names[0]), await probe(names[1])], [403, 400], 'the second origin at each isolate');
  const [ticketsBefore, upstreamBefore] = [await counts(), await upstream()];
  const started = Date.now();
  const answers = await Promise.all(Array.from({ length: CALLS }, async (_, i) => {
    const response = await mf.dispatchFetch(`http://${names[i % 2]}.example/mava/api/ticket`, {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/json', 'cf-connecting-ip': `198.51.100.${i + 1}` },
      body: JSON.stringify({ customer: { email: `wrangler-current-${i}@example.com` }, message: { content: `call ${i}` } }),
    });
    const { ticket } = await response.json();
    return { status: response.status, email: ticket?.customer?.email, ms: Date.now() - started };
  }));
  same(answers.map((a) => [a.status, a.email]), answers.map((_, i) => [201, `wrangler-current-${i}@example.com`]), 'the creates through two isolates');
  const inFirstWindow = answers.filter((a) => a.ms < LIMIT.windowMs).length;
  if (inFirstWindow > LIMIT.requests) throw new Error(`${inFirstWindow} calls answered within the first ${LIMIT.windowMs} ms, the limit is ${LIMIT.requests}: ${JSON.stringify(answers)}`);
  same(await counts(), ticketsBefore + CALLS, 'tickets in the sandbox');
  const upstreamAfter = await upstream();
  same(upstreamAfter.refused - upstreamBefore.refused, 0, 'calls the sandbox refused with 429');
  const version = (name) => JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')).version;
  console.log(`wrangler ${version('wrangler')}, miniflare ${version('miniflare')} on Node ${process.versions.node}: ${CALLS} creates through 2 isolates and one Durable Object limiter (${LIMIT.requests} per ${LIMIT.windowMs} ms): all 201, ${inFirstWindow} in the first window, the last after ${Math.max(...answers.map((a) => a.ms))} ms, no 429 upstream`);
} finally {
  await mf.dispose();
}
