// Visitors cannot take the shop's quota (CONTRACT §6, visitorShare): k visitors at their own
// limit hammer a relay while the shop's backend, another client of the same Mava key, sends a
// third of the key's quota. Against the sandbox with Mava's limit scaled down to 30 per 3 s, it
// prints, per k, what went upstream for visitors, what the relay refused, and whether the
// backend kept its share (every backend call served: none refused by the provider, or by the
// key's window when the relay shares this process). The last row
// is the relay before the fix (visitorShare 1: visitors may use the whole quota).
// Run: node bench/visitor-share.mjs (scripts/bench.sh runs it).
import { MavaClient, createRelay } from 'ticketwire';
import { KEYS, startSandbox } from '../tests/e2e/sandbox.mjs';

const LIMIT = { requests: 30, windowMs: 3_000 };
const RUN_MS = 12_000;
const BACKEND_EVERY_MS = (LIMIT.windowMs / LIMIT.requests) * 3; // a third of the quota
const ORIGIN = 'https://shop.example';

async function run(k, visitorShare) {
  const sandbox = await startSandbox(['--mava-limit', String(LIMIT.requests), '--mava-window-ms', String(LIMIT.windowMs)]);
  const baseUrl = `${sandbox.url}/mava`;
  const relay = createRelay({
    mava: { apiKey: KEYS.mava, baseUrl, rateLimitQuota: LIMIT },
    allowedOrigins: [ORIGIN],
    visitorKey: (request) => request.headers.get('x-visitor'),
    visitorLimit: { requests: 4, windowMs: LIMIT.windowMs },
    visitorShare,
  });
  // The shop's own backend: its own client of the same key, pacing to the whole quota.
  const backend = new MavaClient({ apiKey: KEYS.mava, baseUrl, rateLimitQuota: LIMIT, rateLimit: 'fail', maxRetries: 0 });
  const tally = { visitorCreated: 0, relayRefused: 0, visitorOther: 0, backendSent: 0, backendServed: 0, backend429: 0, backendOther: 0 };
  const until = performance.now() + RUN_MS;
  const visitor = async (v) => {
    while (performance.now() < until) {
      const response = await relay.fetch(new Request('https://relay.example/mava/api/ticket', {
        method: 'POST',
        headers: { origin: ORIGIN, 'content-type': 'application/json', 'x-visitor': `visitor-${v}` },
        body: JSON.stringify({ customer: { email: `v${v}@example.com` }, message: { content: 'hi' } }),
      }));
      await response.arrayBuffer();
      if (response.status === 201) tally.visitorCreated++;
      else if (response.status === 429) {
        tally.relayRefused++;
        await new Promise((resolve) => setTimeout(resolve, 250)); // a visitor retries a little later
      } else tally.visitorOther++;
    }
  };
  const shop = async () => {
    while (performance.now() < until) {
      tally.backendSent++;
      try {
        await backend.createTicket({ customer: { email: 'backend@shop.example' }, message: { content: 'order sync' } });
        tally.backendServed++;
      } catch (error) {
        if (error.status === 429) tally.backend429++;
        else tally.backendOther++;
      }
      await new Promise((resolve) => setTimeout(resolve, BACKEND_EVERY_MS));
    }
  };
  await Promise.all([shop(), ...Array.from({ length: k }, (_, v) => visitor(v))]);
  const upstream = await (await fetch(`${sandbox.url}/_sandbox/rate-limit`)).json();
  await sandbox.stop();
  const windows = RUN_MS / LIMIT.windowMs;
  return { k, visitorShare, ...tally, provider429: upstream.refused, visitorsPerWindow: tally.visitorCreated / windows };
}

console.log(`bench: visitors beside the shop's backend, one Mava key at ${LIMIT.requests} per ${LIMIT.windowMs} ms, ${RUN_MS / 1000} s per row`);
console.log('bench: k visitors | share | visitor creates/window | refused by relay | backend sent | backend served | backend refused | provider 429s | backend kept its share');
for (const [k, share] of [[1, 0.5], [5, 0.5], [20, 0.5], [20, 1]]) {
  const row = await run(k, share);
  const kept = row.backend429 === 0 && row.backendOther === 0 && row.backendServed === row.backendSent;
  console.log(
    `bench: ${String(row.k).padStart(10)} | ${String(share).padStart(5)} | ${row.visitorsPerWindow.toFixed(1).padStart(22)} | ` +
    `${String(row.relayRefused).padStart(16)} | ${String(row.backendSent).padStart(12)} | ${String(row.backendServed).padStart(14)} | ` +
    `${String(row.backendSent - row.backendServed).padStart(15)} | ${String(row.provider429).padStart(13)} | ${kept ? 'yes' : 'NO'}${share === 1 ? ' (before the fix)' : ''}`,
  );
}
