// A burst of Mava creates through several relay isolates of examples/worker that share one
// Durable Object limiter, then a probe: what tests/workerd/limiter.test.mjs checks and
// bench/limiter-burst.mjs prints. One visitor per request (cf-connecting-ip), so only the
// provider key's limit is in play.
import { KEYS } from '../e2e/sandbox.mjs';
import { start, worker } from './workerd.mjs';

const ORIGIN = 'https://shop.example';

/**
 * Sends `calls` creates at once, spread over `isolates` relays, then one probe `probeAfterMs`
 * after the burst began. Resolves to the figures: statuses, 429s without retry-after, the
 * provider's 429s, the slowest 201, the probe's status and wait, and the elapsed time.
 */
export async function burst({ sandbox, scriptPath, limit, calls, isolates, probeAfterMs }) {
  await sandbox.control('reset');
  await sandbox.control('rate-limit', limit);
  const env = {
    ALLOWED_ORIGINS: ORIGIN, MAVA_API_KEY: KEYS.mava, MAVA_BASE_URL: `${sandbox.url}/mava`,
    MAVA_RATE_LIMIT: `${limit.requests}/${limit.windowMs}`,
  };
  const names = Array.from({ length: isolates }, (_, i) => `relay${i + 1}`);
  const durable = (i) => ({
    durableObjects: { TICKETWIRE_LIMITER: i === 0 ? 'TicketwireRateLimitObject' : { className: 'TicketwireRateLimitObject', scriptName: names[0] } },
  });
  const workerd = await start(names.map((name, i) => worker(name, scriptPath, { bindings: env, ...durable(i) })), { stripCfConnectingIp: false });
  const create = async (isolate, i) => {
    const sent = Date.now();
    const response = await workerd.fetch(names[isolate], '/mava/api/ticket', {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/json', 'cf-connecting-ip': `198.51.${i >> 8}.${i & 255}` },
      body: JSON.stringify({ customer: { email: `visitor${i}@example.com` }, message: { content: `call ${i}` } }),
    });
    await response.arrayBuffer();
    return { status: response.status, retryAfter: response.headers.get('retry-after'), ms: Date.now() - sent };
  };
  try {
    const started = Date.now();
    const answers = Promise.all(Array.from({ length: calls }, (_, i) => create(i % isolates, i)));
    await new Promise((resolve) => setTimeout(resolve, probeAfterMs));
    const probe = await create(0, calls);
    const all = await answers;
    const statuses = {};
    for (const { status } of all) statuses[status] = (statuses[status] ?? 0) + 1;
    const upstream = await (await fetch(`${sandbox.url}/_sandbox/rate-limit`)).json();
    return {
      calls,
      isolates,
      limit: `${limit.requests}/${limit.windowMs}ms`,
      statuses,
      withoutRetryAfter: all.filter((a) => a.status === 429 && !a.retryAfter).length,
      provider429: upstream.refused,
      providerAdmitted: upstream.admitted,
      slowest201Ms: Math.max(0, ...all.filter((a) => a.status === 201).map((a) => a.ms)),
      slowest429Ms: Math.max(0, ...all.filter((a) => a.status === 429).map((a) => a.ms)),
      burstMs: Math.max(...all.map((a) => a.ms)),
      probe: { status: probe.status, ms: probe.ms, retryAfter: probe.retryAfter },
      elapsedMs: Date.now() - started,
    };
  } finally {
    await workerd.dispose();
  }
}
