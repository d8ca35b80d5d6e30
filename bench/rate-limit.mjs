// Sends 1,000 Mava creates through one client, then through four clients sharing a key,
// against the sandbox with Mava's limit scaled down to 90 per 3 s, and prints what the
// limiter achieved: requests sent, 429s received, elapsed time, throughput against the limit.
// Run: bash scripts/bench.sh
import { MavaClient } from 'ticketwire';
import { startSandbox } from '../tests/e2e/sandbox.mjs';

const LIMIT = { requests: 90, windowMs: 3000 };
const CALLS = 1000;

async function run(label, key, clientCount, sandbox) {
  let sent = 0;
  let throttled = 0;
  const fetch = async (url, init) => {
    sent++;
    const response = await globalThis.fetch(url, init);
    if (response.status === 429) throttled++;
    return response;
  };
  const clients = Array.from({ length: clientCount }, () =>
    new MavaClient({ apiKey: key, baseUrl: `${sandbox.url}/mava`, fetch, rateLimitQuota: LIMIT }));
  const started = performance.now();
  await Promise.all(Array.from({ length: CALLS }, (_, i) =>
    clients[i % clientCount].createTicket({ customer: { email: `bench${i % 50}@example.com` }, message: { content: `call ${i}` } })));
  const elapsed = (performance.now() - started) / 1000;
  // A sliding window lets 90 go at once and 90 more every 3 s: the fastest schedule for N calls.
  const fastest = (Math.ceil(CALLS / LIMIT.requests) - 1) * (LIMIT.windowMs / 1000);
  console.log(
    `bench: ${label.padEnd(28)} sent ${String(sent).padStart(4)}  429s ${throttled}  elapsed ${elapsed.toFixed(2)} s  ` +
    `throughput ${((fastest / elapsed) * 100).toFixed(1)} % of the limit (fastest allowed ${fastest} s)`,
  );
  return { sent, throttled, elapsed };
}

const sandbox = await startSandbox(['--mava-limit', String(LIMIT.requests), '--mava-window-ms', String(LIMIT.windowMs)]);
try {
  console.log(`bench: ${CALLS} Mava creates, sandbox limit ${LIMIT.requests} per ${LIMIT.windowMs} ms per key`);
  await run('one client', 'sandbox_mava_acme', 1, sandbox);
  await run('four clients sharing a key', 'sandbox_mava_globex', 4, sandbox);
} finally {
  await sandbox.stop();
}
