// A Node server as a team would bundle it: node:http, the relay mounted with toNodeHandler.
import http from 'node:http';
import { createRelay } from 'ticketwire';
import { nodeVisitorKey, toNodeHandler } from 'ticketwire/node';

const relay = createRelay({
  mava: { apiKey: process.env.MAVA_API_KEY, baseUrl: process.env.MAVA_BASE_URL },
  allowedOrigins: [process.env.SHOP_ORIGIN],
  basePath: '/support',
  visitorKey: nodeVisitorKey,
});
const server = http.createServer(toNodeHandler(relay));
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
