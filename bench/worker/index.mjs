// The relay of examples/worker without the Durable Object: each isolate paces the key on its
// own. bench/relay-limit.mjs runs it beside the shared limiter to show what the object is for.
import { createRelay } from 'ticketwire';

let relay;

export default {
  fetch(request, env) {
    const [requests, windowMs] = env.MAVA_RATE_LIMIT.split('/').map(Number);
    relay ??= createRelay({
      // The client-side limiter of this isolate only.
      mava: { apiKey: env.MAVA_API_KEY, baseUrl: env.MAVA_BASE_URL, rateLimitQuota: { requests, windowMs } },
      allowedOrigins: env.ALLOWED_ORIGINS.split(','),
    });
    return relay.fetch(request);
  },
};
