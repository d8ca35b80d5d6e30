// `ticketwire/node`: a relay (createRelay) mounted in Node's own servers: node:http, Express,
// Fastify, Koa. Node hands a handler an IncomingMessage and a ServerResponse, not the
// Request/Response a relay takes; this turns one into the other and back, and names the visitor
// by the connection's address (a client cannot choose it: no header is read).
'use strict';
// Through process.getBuiltinModule where Node has it (20.16+): esbuild's ES module output cannot require a built-in.
const { Readable } = globalThis.process?.getBuiltinModule?.('node:stream') ?? require('node:stream');

/** Each Request this module made, and the visitor it came from. */
const visitors = new WeakMap();

/** Headers that describe one connection, not the request: never passed on. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

/**
 * The relay's `visitorKey` for requests that came through `toNodeHandler`: the visitor it named
 * (by default the socket's remote address). `createRelay({ ..., visitorKey: nodeVisitorKey })`.
 */
function nodeVisitorKey(request) {
  return visitors.get(request) ?? '';
}

/** The body as the relay should read it, or why there is none to read. */
function bodyOf(req) {
  if (req.method === 'GET' || req.method === 'HEAD') return { body: undefined };
  const consumed = req.readableEnded || req._body === true || req.complete && req.readableLength === 0 && req.body !== undefined;
  if (!consumed) return { body: Readable.toWeb(req) };
  // A body parser got there first. Its raw bytes, where it kept them, are the body as sent.
  const raw = req.rawBody ?? req.body;
  if (typeof raw === 'string' || raw instanceof Uint8Array) return { body: raw };
  return {
    error: 'the request body was already read by a body parser (e.g. express.json()) before the relay: ' +
      'mount the relay before the parser, or on a path of its own',
  };
}

/**
 * A Node request handler (`(req, res) => void`) that serves `relay`. Mount it where the
 * relay's `basePath` says (`app.use('/support', toNodeHandler(relay))` with `basePath: '/support'`):
 * the path it reads is `req.originalUrl` (Express) or `req.url`.
 */
function toNodeHandler(relay, options = {}) {
  const visitorOf = options.visitorKey ?? ((req) => req.socket?.remoteAddress ?? '');
  return async function ticketwireRelay(req, res) {
    const { body, error } = bodyOf(req);
    if (error) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'RELAY_ERROR', message: error }));
      return;
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || HOP_BY_HOP.has(name)) continue;
      headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    if (body !== undefined && !(body instanceof ReadableStream)) headers.delete('content-length');
    const abort = new AbortController();
    res.on('close', () => { if (!res.writableFinished) abort.abort(); });
    const protocol = req.socket?.encrypted ? 'https' : 'http';
    const url = new URL(req.originalUrl ?? req.url ?? '/', `${protocol}://${req.headers.host ?? 'localhost'}`);
    const request = new Request(url, { method: req.method, headers, body, duplex: 'half', signal: abort.signal });
    visitors.set(request, String(visitorOf(req)));
    const response = await relay.fetch(request);
    res.statusCode = response.status;
    response.headers.forEach((value, name) => res.setHeader(name, value));
    res.end(Buffer.from(await response.arrayBuffer()));
  };
}

module.exports = { toNodeHandler, nodeVisitorKey };
