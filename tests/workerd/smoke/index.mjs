// A Worker that uses the package as a Worker's own code would: validate, prepare, a real call
// to the sandbox, and a typed error. tests/workerd/relay.test.mjs runs it in workerd.
import { MavaClient, TicketwireError } from 'ticketwire';

export default {
  async fetch(request, env) {
    const mava = new MavaClient({ apiKey: env.MAVA_KEY, baseUrl: `${env.SANDBOX_URL}/mava` });
    // What JSON.parse is given meanwhile: the edge build's violations come as counted text
    // (workerd.mjs hands install the reader), so only their params are parsed.
    const parsed = [];
    const parse = JSON.parse;
    JSON.parse = (text, reviver) => {
      parsed.push(text);
      return parse(text, reviver);
    };
    let violations;
    try {
      violations = mava.validateCreateTicket({ customer: { email: 'jane@localhost' } });
    } finally {
      JSON.parse = parse;
    }
    const prepared = mava.prepareCreateTicket({ customerId: '645abc1234567890abcdef12' });
    const { ticket } = await mava.createTicket({ customer: { email: 'worker@acme.example' }, message: { content: 'From workerd' } });
    let error;
    try {
      await new MavaClient({ apiKey: 'sk_wrong_key_123', baseUrl: `${env.SANDBOX_URL}/mava`, maxRetries: 0 }).listAgents();
    } catch (e) {
      error = { isTicketwire: e instanceof TicketwireError, kind: e.kind, status: e.status };
    }
    return Response.json({ violations, parsed, prepared, ticket: { id: ticket._id, content: ticket.messages[0].content }, error });
  },
};
