// The same server on `ticketwire/slim`, handing it the wasm esbuild's binary loader inlined
// (`--loader:.wasm=binary`, with `--target=node20`): the way for a host that brings its own module.
import http from 'node:http';
import { createRelay, initSync } from 'ticketwire/slim';
import wasm from 'ticketwire/slim.wasm';
import { nodeVisitorKey, toNodeHandler } from 'ticketwire/node';

initSync(wasm);
const relay = createRelay({
  mava: { apiKey: process.env.MAVA_API_KEY, baseUrl: process.env.MAVA_BASE_URL },
  allowedOrigins: [process.env.SHOP_ORIGIN],
  basePath: '/support',
  visitorKey: nodeVisitorKey,
});
const server = http.createServer(toNodeHandler(relay));
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
