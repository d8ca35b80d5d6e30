// The demo's proxy in front of the relay in workerd (www/demo.mjs): it counts and logs what
// reaches the relay, and passes WebSocket upgrades through as well as requests.
import { createServer, request as forward } from 'node:http';

/**
 * A proxy in front of the relay at `target`: passes requests and WebSocket upgrades through
 * (both sockets piped), and logs the last 1,000 as `{ method, path, status, upgrade }`.
 * `fromPage()` counts what came from the page: everything but the sandbox's webhooks.
 */
export function relayProxy(target) {
  const log = [];
  let fromPage = 0;
  const entry = (req, upgrade) => {
    const row = { method: req.method, path: new URL(req.url, 'http://x').pathname, status: null, upgrade };
    if (!(row.method === 'POST' && row.path.endsWith('/mava/webhooks'))) fromPage += 1;
    log.push(row);
    if (log.length > 1_000) log.shift();
    return row;
  };
  const onward = (req) => {
    const url = new URL(req.url, target);
    return forward(url, { method: req.method, headers: { ...req.headers, host: url.host } });
  };
  const server = createServer((req, res) => {
    const row = entry(req, false);
    const upstream = onward(req);
    upstream.on('response', (answer) => {
      row.status = answer.statusCode;
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      row.status ??= 502;
      if (res.headersSent) res.destroy();
      else res.writeHead(502).end();
    });
    req.pipe(upstream);
  });
  server.on('upgrade', (req, socket, early) => {
    const row = entry(req, true);
    const upstream = onward(req);
    const ends = [socket, upstream];
    const fail = () => ends.forEach((end) => end.destroy());
    socket.on('error', fail);
    upstream.on('error', () => {
      row.status ??= 502;
      socket.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
    });
    upstream.on('upgrade', (answer, relaySocket, relayEarly) => {
      row.status = answer.statusCode;
      ends.push(relaySocket);
      relaySocket.on('error', fail);
      socket.on('close', () => relaySocket.destroy());
      relaySocket.on('close', () => socket.destroy());
      // The 101 and its headers as they came, then the two streams joined.
      const headers = answer.rawHeaders.map((v, i) => (i % 2 ? `${v}\r\n` : `${v}: `)).join('');
      socket.write(`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}\r\n${headers}\r\n`);
      if (relayEarly.length > 0) socket.write(relayEarly);
      if (early.length > 0) relaySocket.write(early);
      relaySocket.pipe(socket).pipe(relaySocket);
    });
    // The relay refused the upgrade (403, 404, 426…): its answer, whole, then the socket closes.
    upstream.on('response', async (answer) => {
      row.status = answer.statusCode;
      const chunks = [];
      for await (const chunk of answer) chunks.push(chunk);
      const body = Buffer.concat(chunks);
      const skip = ['transfer-encoding', 'content-length', 'connection'];
      const headers = Object.entries(answer.headers).filter(([name]) => !skip.includes(name))
        .flatMap(([name, value]) => [value].flat().map((v) => `${name}: ${v}\r\n`)).join('');
      socket.write(`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}\r\n${headers}content-length: ${body.length}\r\nconnection: close\r\n\r\n`);
      socket.end(body);
    });
    upstream.end();
  });
  return { server, log, fromPage: () => fromPage };
}
