// A relay Worker whose Mava threads live in conversation Durable Objects (one per ticket),
// which also hold the visitors' WebSockets (CONTRACT §7.2): the Worker of the README's
// conversations quickstart, with the sandbox as Mava.
import { createRelay, durableObjectConversations } from 'ticketwire';

export { TicketwireConversationObject } from 'ticketwire';

let relay;

export default {
  fetch(request, env) {
    relay ??= createRelay({
      mava: { apiKey: env.MAVA_API_KEY, baseUrl: env.MAVA_BASE_URL, webhookSigningKey: env.MAVA_WEBHOOK_SIGNING_KEY },
      allowedOrigins: [env.ALLOWED_ORIGIN],
      capabilitySecret: env.CAPABILITY_SECRET,
      conversations: durableObjectConversations(env.TICKETWIRE_CONVERSATIONS),
    });
    return relay.fetch(request);
  },
};
