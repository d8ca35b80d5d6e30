// One rate limit across isolates (CONTRACT §6.1): 1,000 Mava creates from 1,000 visitors
// through four relay isolates in workerd, against the sandbox with Mava's limit scaled down to
// 90 per 3 s. First with the Durable Object limiter the isolates share (examples/worker), then
// with each isolate pacing the key alone (bench/worker). Prints requests, 429s, elapsed time
// and throughput against the limit. Run: bash scripts/bench.sh
import { fileURLToPath } from 'node:url';
import { KEYS, startSandbox } from '../tests/e2e/sandbox.mjs';
import { EXAMPLE_WORKER, bundle, start, worker } from '../tests/workerd/workerd.mjs';

const LIMIT = { requests: 90, windowMs: 3000 };
const CALLS = 1000;
const ISOLATES = 4;
const IN_FLIGHT_PER_ISOLATE = 30; // a steady stream, as visitors arrive
const ORIGIN = 'https://shop.example';

async function run(label, scriptPath, shared) {
  const sandbox = await startSandbox(['--mava-limit', String(LIMIT.requests), '--mava-window-ms', String(LIMIT.windowMs)]);
  const env = {
    ALLOWED_ORIGINS: ORIGIN, MAVA_API_KEY: KEYS.mava, MAVA_BASE_URL: `${sandbox.url}/mava`,
    MAVA_RATE_LIMIT: `${LIMIT.requests}/${LIMIT.windowMs}`,
  };
  const names = Array.from({ length: ISOLATES }, (_, i) => `relay${i + 1}`);
  const durable = (i) => (!shared ? {} : {
    durableObjects: { TICKETWIRE_LIMITER: i === 0 ? 'TicketwireRateLimitObject' : { className: 'TicketwireRateLimitObject', scriptName: names[0] } },
  });
  const workerd = await start(names.map((name, i) => worker(name, scriptPath, { bindings: env, ...durable(i) })), { stripCfConnectingIp: false });
  const tally = { created: 0, relay429: 0, other: 0 };
  let next = 0;
  const send = async (isolate) => {
    while (next < CALLS) {
      const i = next++;
      const response = await workerd.fetch(names[isolate], '/mava/api/ticket', {
        method: 'POST',
        headers: { origin: ORIGIN, 'content-type': 'application/json', 'cf-connecting-ip': `198.51.${i >> 8}.${i & 255}` },
        body: JSON.stringify({ customer: { email: `visitor${i}@example.com` }, message: { content: `call ${i}` } }),
      });
      const body = await response.json();
      if (response.status === 201) tally.created++;
      else if (response.status === 429 && body.error === 'RATE_LIMITED') tally.relay429++;
      else tally.other++;
    }
  };
  const started = performance.now();
  await Promise.all(names.flatMap((_, isolate) => Array.from({ length: IN_FLIGHT_PER_ISOLATE }, () => send(isolate))));
  const elapsed = (performance.now() - started) / 1000;
  const rows = (await sandbox.counts()).mava_tickets;
  // What reached the sandbox: requests it admitted, and the 429s it answered.
  const upstream = await (await fetch(`${sandbox.url}/_sandbox/rate-limit`)).json();
  await workerd.dispose();
  await sandbox.stop();
  // A sliding window lets 90 go at once and 90 more every 3 s: the fastest schedule for N calls.
  const fastest = (Math.ceil(tally.created / LIMIT.requests) - 1) * (LIMIT.windowMs / 1000);
  console.log(
    `bench: ${label.padEnd(40)} sent ${upstream.admitted + upstream.refused}  429s ${upstream.refused}  created ${tally.created} (rows ${rows})  ` +
    `refused by the relay ${tally.relay429}  other ${tally.other}  elapsed ${elapsed.toFixed(2)} s  throughput ${((fastest / elapsed) * 100).toFixed(1)} % of the limit`,
  );
}

console.log(`bench: ${CALLS} Mava creates through ${ISOLATES} relay isolates in workerd, sandbox limit ${LIMIT.requests} per ${LIMIT.windowMs} ms`);
const shared = bundle(EXAMPLE_WORKER);
console.log(`bench: the relay Worker's upload (wrangler deploy --dry-run): ${shared.upload}`);
await run('one Durable Object shared by 4 isolates', shared.scriptPath, true);
const alone = bundle(fileURLToPath(new URL('./worker/', import.meta.url)), ['index.mjs', '--name', 'bench-relay', '--compatibility-date', '2026-04-01']);
await run('each isolate alone (no Durable Object)', alone.scriptPath, false);
