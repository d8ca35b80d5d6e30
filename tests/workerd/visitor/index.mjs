// A relay Worker with a visitor limit from its environment and the Durable Object limiter, and
// no visitorKey: tests/workerd/visitor.test.mjs runs it as several isolates sharing one object.
import { createRelay, durableObjectRateLimiter } from 'ticketwire';

export { TicketwireRateLimitObject } from 'ticketwire';

let relay;

export default {
  fetch(request, env) {
    const [requests, windowMs] = env.VISITOR_LIMIT.split('/').map(Number);
    relay ??= createRelay({
      mava: { apiKey: env.MAVA_API_KEY, baseUrl: env.MAVA_BASE_URL },
      allowedOrigins: [env.ALLOWED_ORIGIN],
      visitorLimit: { requests, windowMs },
      rateLimit: durableObjectRateLimiter(env.TICKETWIRE_LIMITER),
    });
    return relay.fetch(request);
  },
};
