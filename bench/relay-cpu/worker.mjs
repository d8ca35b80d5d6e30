// The relay Worker bench/relay-cpu.mjs runs in workerd: the quickstart's relay (examples/worker)
// with the relay's own in-isolate limiter instead of the Durable Object one (so the CPU figures
// are the relay's alone), and one extra route, GET /__bench/wasm-memory, that answers the
// isolate's wasm memory in bytes. The `ticketwire` import and the relative one below resolve to
// the same module (pkg/edge/ticketwire.js), so that figure is the relay's own instance.
import { createRelay } from 'ticketwire';
import { __wasmMemoryBytes } from '../../node_modules/ticketwire/edge/ticketwire.js';

let relay; // one per isolate, as in the quickstart

export default {
  fetch(request, env) {
    if (new URL(request.url).pathname === '/__bench/wasm-memory') return Response.json({ bytes: __wasmMemoryBytes() });
    relay ??= createRelay({
      mava: { apiKey: env.MAVA_API_KEY, baseUrl: env.MAVA_BASE_URL, rateLimitQuota: { requests: 100_000, windowMs: 1000 } },
      helpwave: { apiKey: env.HELPWAVE_API_KEY, baseUrl: env.HELPWAVE_BASE_URL, operations: ['createTicket', 'identify', 'sendMessage', 'listComments'] },
      allowedOrigins: env.ALLOWED_ORIGINS.split(','),
      capabilitySecret: env.CAPABILITY_SECRET,
      ...(env.MAX_RESPONSE_BYTES ? { maxResponseBytes: Number(env.MAX_RESPONSE_BYTES) } : {}),
    });
    return relay.fetch(request);
  },
};
