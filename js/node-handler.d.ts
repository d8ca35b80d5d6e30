// `ticketwire/node`: a relay mounted in Node's own servers (node:http, Express, Fastify, Koa).
/**
 * The relay in Node's own servers (`node:http`, Express, Fastify, Koa):
 * `import { toNodeHandler, nodeVisitorKey } from 'ticketwire/node'`.
 *
 * @module ticketwire/node
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Relay } from './index.js';

/** What `toNodeHandler` takes besides the relay. */
export interface NodeHandlerOptions {
  /** Who a request comes from (default: the socket's remote address; behind a proxy you trust, its client address). */
  visitorKey?: (req: IncomingMessage) => string;
}

/**
 * A Node request handler that serves `relay`: `http.createServer(toNodeHandler(relay))`,
 * `app.use('/support', toNodeHandler(relay))`. Create the relay with `visitorKey: nodeVisitorKey`.
 * A body a parser already read is used when the parser kept it raw (`req.rawBody`, or a string
 * or Buffer `req.body`); otherwise the answer is a 500 that says to mount the relay first.
 */
export declare function toNodeHandler(
  relay: Relay,
  options?: NodeHandlerOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** The relay's `visitorKey` for requests that came through `toNodeHandler`. */
export declare function nodeVisitorKey(request: Request): string;
