// Issue 21's acceptance for the Durable Object limiter, full size: 2,000 Mava creates through
// 8 relay isolates of examples/worker at once, one shared TicketwireRateLimitObject, against
// the sandbox with Mava's published limit (90 per 30 s); then a probe 25 s after the burst
// began. Prints the answers (201 / 429), 429s without retry-after, the provider's own 429s,
// and how long the probe took: it should be served within one window (30 s), with 0 × 429
// from the provider. tests/workerd/limiter.test.mjs runs the same burst scaled down.
// Run: WRANGLER_SEND_METRICS=false node bench/limiter-burst.mjs [calls] [requests/windowMs]
import { startSandbox } from '../tests/e2e/sandbox.mjs';
import { EXAMPLE_WORKER, bundle } from '../tests/workerd/workerd.mjs';
import { burst } from '../tests/workerd/burst.mjs';

const calls = Number(process.argv[2] ?? 2000);
const [requests, windowMs] = (process.argv[3] ?? '90/30000').split('/').map(Number);
const limit = { requests, windowMs };
const sandbox = await startSandbox(['--mava-limit', String(requests), '--mava-window-ms', String(windowMs)]);
try {
  const relay = bundle(EXAMPLE_WORKER);
  const f = await burst({ sandbox, scriptPath: relay.scriptPath, limit, calls, isolates: 8, probeAfterMs: 25_000 });
  console.log(`bench: limiter burst: ${f.calls} Mava creates through ${f.isolates} isolates at once, limit ${f.limit}`);
  console.log(`bench:   answers ${JSON.stringify(f.statuses)}  429s without retry-after ${f.withoutRetryAfter}`);
  console.log(`bench:   provider admitted ${f.providerAdmitted}, answered 429 ${f.provider429} times`);
  console.log(`bench:   slowest 201 ${f.slowest201Ms} ms, slowest 429 ${f.slowest429Ms} ms, whole burst ${f.burstMs} ms`);
  console.log(`bench:   probe 25 s after the burst began: ${f.probe.status} after ${f.probe.ms} ms (one window: ${windowMs} ms) ${f.probe.ms <= windowMs + 1000 && f.probe.status === 201 ? 'OK' : 'LATE'}`);
} finally {
  await sandbox.stop();
}
