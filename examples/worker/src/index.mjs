// A relay Worker: the browser widget calls it instead of the providers, and it adds the keys.
// It is the README's Worker quickstart, and the Worker the workerd tests run (tests/workerd/).
import { createRelay, durableObjectConversations, durableObjectRateLimiter } from 'ticketwire';

// The Durable Object classes the bindings name (wrangler.toml): the limiter, and one object
// per ticket holding its conversation and its visitors' WebSockets.
export { TicketwireRateLimitObject, TicketwireConversationObject } from 'ticketwire';

let relay; // one per isolate, so each visitor's limit holds across requests

// "90/30000": requests per window in ms (MAVA_RATE_LIMIT: when your plan's limit is not the
// published one).
const quota = (text) => text && { requests: Number(text.split('/')[0]), windowMs: Number(text.split('/')[1]) };

export default {
  fetch(request, env) {
    relay ??= createRelay({
      // The signing key of Mava's webhooks (its dashboard): serves POST /mava/webhooks, and the
      // visitor's conversation (GET /mava/conversations/{ticketId}) fills from them.
      mava: env.MAVA_API_KEY
        ? { apiKey: env.MAVA_API_KEY, baseUrl: env.MAVA_BASE_URL, webhookSigningKey: env.MAVA_WEBHOOK_SIGNING_KEY }
        : undefined,
      helpwave: env.HELPWAVE_API_KEY
        ? { apiKey: env.HELPWAVE_API_KEY, baseUrl: env.HELPWAVE_BASE_URL, operations: ['createTicket', 'identify', 'sendMessage', 'listComments'] }
        : undefined,
      tickiti: env.TICKITI_API_KEY ? { apiKey: env.TICKITI_API_KEY, baseUrl: env.TICKITI_BASE_URL } : undefined,
      allowedOrigins: env.ALLOWED_ORIGINS.split(','),
      capabilitySecret: env.CAPABILITY_SECRET,
      rateLimit: durableObjectRateLimiter(env.TICKETWIRE_LIMITER, { quotas: { mava: quota(env.MAVA_RATE_LIMIT) } }),
      // Mava's threads in a Durable Object per ticket, which also takes the visitors' WebSockets
      // (without the binding: in this isolate's memory, by long poll only).
      conversations: env.TICKETWIRE_CONVERSATIONS && durableObjectConversations(env.TICKETWIRE_CONVERSATIONS),
      // Requests per window per visitor, when not the default 30/60000 (the local demo: every
      // browser, and every test of it, is one visitor at 127.0.0.1).
      visitorLimit: quota(env.VISITOR_LIMIT),
    });
    return relay.fetch(request);
  },
};
