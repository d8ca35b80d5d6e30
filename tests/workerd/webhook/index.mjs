// A Worker that verifies a Mava webhook with the package, as a receiver's own code would.
// tests/workerd/webhook.test.mjs runs it in workerd (the signing key comes from a binding).
import { TicketwireError, verifyMavaWebhook } from 'ticketwire';

export default {
  async fetch(request, env) {
    try {
      return Response.json({ event: await verifyMavaWebhook(await request.arrayBuffer(), env.MAVA_SIGNING_KEY) });
    } catch (e) {
      const error = { isTicketwire: e instanceof TicketwireError, kind: e.kind, code: e.code, message: e.message };
      return Response.json({ error }, { status: e.code === 'WEBHOOK_SIGNATURE_INVALID' ? 401 : 400 });
    }
  },
};
