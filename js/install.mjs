// Shared by the package entries (node.cjs, browser.mjs, workerd.mjs).
/**
 * Every failure of a ticketwire call is a TicketwireError (CONTRACT §4): one class, with a
 * stable `kind` to switch on. It never carries an API key.
 */
export class TicketwireError extends Error {
  constructor(message, fields) {
    super(message);
    this.kind = fields.kind;
    this.provider = fields.provider;
    this.operation = fields.operation;
    for (const key of ['status', 'code', 'violations', 'retryAfterMs', 'body']) {
      if (fields[key] !== undefined) this[key] = fields[key];
    }
  }

  /** The error as plain data, for logs: `JSON.stringify(error)`. */
  toJSON() {
    const { name, message, kind, provider, operation, status, code, violations, retryAfterMs, body } = this;
    return { name, message, kind, provider, operation, status, code, violations, retryAfterMs, body };
  }
}

Object.defineProperty(TicketwireError.prototype, 'name', { value: 'TicketwireError', writable: true, configurable: true });

/**
 * What every entry adds to its wasm-bindgen module, once: the error class the wasm throws, and
 * the async-iterator protocol on the ticket iterator (so `for await` works on it).
 */
export function install(wasm) {
  wasm.__registerErrorClass(TicketwireError);
  Object.defineProperty(wasm.MavaTicketIterator.prototype, Symbol.asyncIterator, {
    value() {
      return this;
    },
  });
}

function notInAPage(name) {
  return new TicketwireError(
    `${name} runs at the edge (a Worker, Deno, Bun or Node), where the provider keys are: never in a browser page`,
    { kind: 'config', provider: 'relay', operation: name },
  );
}

/** What the browser entry has in place of the edge's exports: each throws a `config` error. */
export const edgeOnly = {
  createRelay() {
    throw notInAPage('createRelay');
  },
  durableObjectRateLimiter() {
    throw notInAPage('durableObjectRateLimiter');
  },
  TicketwireRateLimitObject: class TicketwireRateLimitObject {
    constructor() {
      throw notInAPage('TicketwireRateLimitObject');
    }
  },
};
