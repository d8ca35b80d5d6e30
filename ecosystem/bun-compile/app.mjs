// A small Bun program as `bun build --compile` makes it one executable: it validates, files a
// ticket with the server's key, and serves the relay with Bun.serve, which it then calls as a
// visitor's page would. Prints what happened as JSON.
import { MavaClient, createRelay } from 'ticketwire';

const SANDBOX = process.env.SANDBOX_URL;
const ORIGIN = 'https://shop.example';
const ticket = { customer: { name: 'Jane Doe', email: 'jane@example.com' }, message: { content: 'Where is my order?' } };
const mava = new MavaClient({ apiKey: 'sandbox_mava_acme', baseUrl: `${SANDBOX}/mava`, maxRetries: 0 });

const violations = mava.validateCreateTicket({ customer: { email: 'jane@localhost' }, message: { content: 'hi' } });
const direct = (await mava.createTicket(ticket)).ticket._id;

// The visitor is the connection's address, which Bun.serve knows and a client cannot choose.
const visitors = new WeakMap();
const relay = createRelay({
  mava: { apiKey: 'sandbox_mava_acme', baseUrl: `${SANDBOX}/mava` },
  allowedOrigins: [ORIGIN],
  visitorKey: (request) => visitors.get(request) ?? '',
});
const server = Bun.serve({
  port: 0,
  hostname: '127.0.0.1',
  fetch(request, bun) {
    visitors.set(request, bun.requestIP(request)?.address ?? '');
    return relay.fetch(request);
  },
});
const answer = await fetch(`${server.url}mava/api/ticket`, {
  method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: JSON.stringify(ticket),
});
const relayed = { status: answer.status, id: (await answer.json()).ticket?._id };
server.stop(true);
console.log(JSON.stringify({ violations, direct, relayed, bun: Bun.version }));
