// The relay Worker bench/conversations.mjs runs in workerd: the conversations quickstart's relay
// (tests/workerd/conversations/index.mjs), Mava's threads in one TicketwireConversationObject per
// ticket, which also holds the visitors' hibernating WebSockets. The default visitor limit and
// origin rules apply (each bench visitor has its own address). Added for the bench, as in
// bench/relay-cpu/worker.mjs: GET /__bench/stats answers the isolate's wasm memory in bytes and
// how many conversation objects were constructed (a new one, or one woken after an eviction); the
// objects run in this isolate, so they share its module (and its one wasm instance).
import { createRelay, durableObjectConversations, TicketwireConversationObject as Base } from 'ticketwire';
import { __wasmMemoryBytes } from '../../node_modules/ticketwire/edge/ticketwire.js';

let constructed = 0;

/** The package's object, counted. */
export class TicketwireConversationObject extends Base {
  constructor(state, env) {
    super(state, env);
    constructed++;
  }
}

let relay; // one per isolate, as in the quickstart

export default {
  fetch(request, env) {
    if (new URL(request.url).pathname === '/__bench/stats') return Response.json({ wasmBytes: __wasmMemoryBytes(), constructed });
    relay ??= createRelay({
      mava: { apiKey: env.MAVA_API_KEY, baseUrl: env.MAVA_BASE_URL, webhookSigningKey: env.MAVA_WEBHOOK_SIGNING_KEY },
      allowedOrigins: [env.ALLOWED_ORIGIN],
      capabilitySecret: env.CAPABILITY_SECRET,
      conversations: durableObjectConversations(env.TICKETWIRE_CONVERSATIONS),
    });
    return relay.fetch(request);
  },
};
