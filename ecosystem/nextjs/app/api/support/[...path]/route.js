// The relay as a Route Handler on the Node.js runtime: the page's client calls
// /api/support/mava/..., and the relay adds the key.
import { createRelay } from 'ticketwire';

let relay; // one per server process, so each visitor's limit holds across requests
function handle(request) {
  relay ??= createRelay({
    mava: { apiKey: process.env.MAVA_API_KEY, baseUrl: process.env.MAVA_BASE_URL },
    allowedOrigins: [process.env.SHOP_ORIGIN],
    basePath: '/api/support',
    // Who a request comes from: the address the nearest proxy appended (Vercel sets the header;
    // `next start` fills it from the socket when a request has none).
    visitorKey: (request) => request.headers.get('x-forwarded-for')?.split(',').at(-1).trim() ?? '',
  });
  return relay.fetch(request);
}

export { handle as GET, handle as POST, handle as OPTIONS };
