// The relay Worker of the README's quickstart, in TypeScript: the browser widget calls it
// instead of Mava, and it adds the key. `Env` is what `wrangler types` generates.
import { createRelay, durableObjectRateLimiter, type Relay } from 'ticketwire';

// The Durable Object class the limiter binding names (wrangler.toml).
export { TicketwireRateLimitObject } from 'ticketwire';

let relay: Relay | undefined; // one per isolate, so each visitor's limit holds across requests

export default {
  fetch(request, env) {
    relay ??= createRelay({
      // MAVA_BASE_URL: only to try it against a local sandbox; unset, it is Mava's own host.
      mava: { apiKey: env.MAVA_API_KEY, baseUrl: env.MAVA_BASE_URL || undefined },
      allowedOrigins: env.ALLOWED_ORIGINS.split(','),
      capabilitySecret: env.CAPABILITY_SECRET, // 32+ characters: `openssl rand -hex 32`
      rateLimit: durableObjectRateLimiter(env.TICKETWIRE_LIMITER), // one limit for every isolate
    });
    return relay.fetch(request);
  },
} satisfies ExportedHandler<Env>;
