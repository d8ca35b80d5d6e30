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

// Plain JSON data as JSON text, so a call crosses into wasm once: a walk that only checks
// (cheap), then the host's own JSON.stringify (fast). Anything else (undefined in an array, a
// hole, a non-finite number, a BigInt, a Symbol, a function, a class instance, a long key, a
// getter or Proxy that throws, too deep, too much) gives undefined: the careful reader in
// convert.rs then reads it value by value. The limits are the Rust reader's own (src/value.rs).
// Made once per reader: no closure, no limits read, per call.
function plainWalk([MAX_DEPTH, MAX_VALUES, MAX_UNITS, MAX_TOTAL_UNITS, MAX_KEY]) {
  let values, units;
  const plain = (v, depth) => {
    if (--values < 0) return false;
    switch (typeof v) {
      case 'string':
        return v.length <= MAX_UNITS && (units -= v.length) >= 0;
      case 'number':
        return Number.isFinite(v);
      case 'boolean':
        return true;
      case 'object': {
        if (v === null) return true;
        if (depth >= MAX_DEPTH) return false;
        if (Array.isArray(v)) {
          if (Object.getPrototypeOf(v) !== Array.prototype || v.length > values) return false;
          for (let i = 0; i < v.length; i++) {
            // A hole or undefined would be null in JSON; the careful reader names it.
            const item = v[i];
            if (item === undefined || !plain(item, depth + 1)) return false;
          }
          return true;
        }
        const proto = Object.getPrototypeOf(v);
        if (proto !== Object.prototype && proto !== null) return false;
        // Faster than Object.keys; an inherited key (polluted prototype) only sends it to the careful reader.
        for (const key in v) {
          if (key.length > MAX_KEY) return false;
          const item = v[key];
          if (item !== undefined && !plain(item, depth + 1)) return false;
        }
        return true;
      }
      default:
        return false;
    }
  };
  return (value) => {
    // A getter may have another input read within this walk: that walk has budgets of its own.
    const outerValues = values, outerUnits = units;
    values = MAX_VALUES;
    units = MAX_TOTAL_UNITS;
    try {
      // JSON.stringify would call an inherited toJSON (a polluted prototype): not plain then.
      return Object.prototype.toJSON === undefined && Array.prototype.toJSON === undefined && plain(value, 0);
    } finally {
      values = outerValues;
      units = outerUnits;
    }
  };
}

function plainJson(value, isPlain) {
  try {
    return isPlain(value) ? JSON.stringify(value) : undefined;
  } catch {
    return undefined;
  }
}

// How a server build's wasm hands its violations over (error.rs, `write_for_host`): for each, its
// path, code, message and rule, each as its length in UTF-16 units, ':' and the text; then its
// params' JSON and a line break. The server entries give `install` one of these; a page's wasm
// writes one JSON text instead, and a page's bundle leaves this out.
export function violationsReader() {
  // Each params text parsed once (the same few recur: a field's limit, its allowed values), and
  // a copy handed out, so a caller's change stays its own. Their values are strings, numbers or
  // arrays of them (violation.rs, `Param`); their keys are the rules' own. At most 64 texts are
  // kept (one may hold a caller's key).
  const parsedParams = new Map();
  const paramsOf = (text) => {
    let parsed = parsedParams.get(text);
    if (parsed === undefined) {
      if (parsedParams.size >= 64) parsedParams.clear();
      parsed = JSON.parse(text);
      parsedParams.set(text, parsed);
    }
    const copy = {};
    // Own keys only, as JSON.parse made them (a polluted prototype's are not the params').
    for (const key of Object.keys(parsed)) {
      const value = parsed[key];
      copy[key] = Array.isArray(value) ? value.slice() : value;
    }
    return copy;
  };
  // Throws on a text not so made (and never reads past its end).
  return (text) => {
    const out = [];
    let at = 0;
    const counted = () => {
      let length = 0;
      for (let c = text.charCodeAt(at++); c !== 58; c = text.charCodeAt(at++)) {
        if (!(c >= 48 && c <= 57)) throw new SyntaxError('not a length');
        length = length * 10 + (c - 48);
      }
      return text.slice(at, (at += length));
    };
    while (at < text.length) {
      const path = counted(), code = counted(), message = counted(), rule = counted();
      const end = text.indexOf('\n', at);
      if (end < 0) throw new SyntaxError('no end of params');
      out.push({ path, code, message, rule, params: paramsOf(text.slice(at, end)) });
      at = end + 1;
    }
    return out;
  };
}

// How the wasm reads a plain input (convert.rs, `InputReader`): its JSON text written as UTF-8
// into the wasm's one reused buffer, no string crossing; and how a server build's violations come
// back (`violationsOf`, from `violationsReader`). No method throws.
function inputReader(memory, limits, violationsOf) {
  const isPlain = plainWalk(limits);
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  let bytes = new Uint8Array(0);
  // The view of the buffer written last (the same buffer every call, until it moves or grows).
  let view = bytes;
  let last; // the text written last: written again with more room, or a request's body
  // The wasm's memory as bytes. Memory that grew detached the old buffer, whose views then read
  // as empty: cheaper to ask than `memory.buffer` (a call into the engine, 40 ns).
  const memoryBytes = () => (bytes.length === 0 ? (bytes = new Uint8Array(memory.buffer)) : bytes);
  // Bytes written at `at`, or minus the room needed.
  const encode = (text, at, room) => {
    try {
      memoryBytes();
      if (view.buffer !== bytes.buffer || view.byteOffset !== at || view.length !== room) {
        view = bytes.subarray(at, at + room);
      }
      const { read, written } = encoder.encodeInto(text, view);
      return read === text.length ? written : -3 * text.length;
    } catch {
      return -1;
    }
  };
  return {
    // -1: not plain JSON data (the careful reader's).
    write(value, at, room) {
      const text = plainJson(value, isPlain); // getters may run, and call the wasm
      last = text;
      return text === undefined ? -1 : encode(text, at, room);
    },
    rewrite: (at, room) => (last === undefined ? -1 : encode(last, at, room)),
    // A fresh request from a head made once per client, whose body is the text written last.
    request(head) {
      const body = last;
      last = undefined;
      return { method: head.method, url: head.url, headers: { ...head.headers }, body };
    },
    // The violations written at `at` as objects; undefined (the wasm then writes them as JSON)
    // without a reader of them, or if that text were not as it reads it.
    violations(at, length) {
      if (violationsOf === undefined) return undefined;
      try {
        return violationsOf(decoder.decode(memoryBytes().subarray(at, at + length)));
      } catch {
        return undefined;
      }
    },
  };
}

// A disposed object (`[Symbol.dispose]()`, `using`, or wasm-bindgen's `free()`) has no Rust value
// behind it, where wasm-bindgen would throw `null pointer passed to rust`: each call is a `config`
// TicketwireError instead (a rejection from the methods that return a Promise: all but those
// below, as tests/node/disposed.test.mjs checks against the .d.ts); disposing again does nothing.
const ANSWERS_AT_ONCE = /^(?:(?:validate|prepare|iterate)[A-Z]\w*|conversation|webSocketClose|webSocketError)$/;
// Whose object it is: a client's provider, or that of the client that made it, or the relay's.
const CLIENT_PROVIDERS = { MavaClient: 'mava', HelpWaveClient: 'helpwave', TickitiClient: 'tickiti' };
const madeBy = new WeakMap();

function guardDisposal(wasm) {
  const classes = new Map(Object.entries(wasm).filter(([, c]) => typeof c?.prototype?.__destroy_into_raw === 'function').map(([n, c]) => [c, n]));
  for (const [{ prototype: proto }, name] of classes) {
    const providerOf = (self) => CLIENT_PROVIDERS[name] ?? madeBy.get(self) ?? 'relay';
    const disposed = (self, member, use) => new TicketwireError(
      `${name}.${member} was ${use} after the ${name} was disposed ([Symbol.dispose]() or free()): it can no longer be used; create another`,
      { kind: 'config', provider: providerOf(self), operation: member.replace(/\(\)$/, '') },
    );
    for (const method of Object.getOwnPropertyNames(proto)) {
      // Read as a descriptor: a getter (`schemas`) must not run on the prototype itself.
      const { value: original, get } = Object.getOwnPropertyDescriptor(proto, method);
      if (['constructor', 'free', '__destroy_into_raw'].includes(method)) continue;
      if (typeof get === 'function') {
        Object.defineProperty(proto, method, { get() {
          if (this.__wbg_ptr === 0) throw disposed(this, method, 'read');
          return get.call(this);
        } });
        continue;
      }
      if (typeof original !== 'function') continue;
      const atOnce = ANSWERS_AT_ONCE.test(method);
      proto[method] = { [method](...args) {
        if (this.__wbg_ptr === 0) {
          const error = disposed(this, `${method}()`, 'called');
          if (atOnce) throw error;
          return Promise.reject(error);
        }
        const result = original.apply(this, args);
        if (classes.has(result?.constructor)) madeBy.set(result, providerOf(this));
        return result;
      } }[method];
    }
    const release = proto.free;
    proto.free = function free() {
      if (this.__wbg_ptr !== 0) release.call(this);
    };
    if (Symbol.dispose) proto[Symbol.dispose] = proto.free;
  }
}
const installed = new WeakSet();

/**
 * What every entry adds to its wasm-bindgen module, once: the error class the wasm throws, the
 * one-pass reader of plain inputs, the async-iterator protocol on the ticket and conversation
 * iterators (so `for await` works on them), and a `config` error for a disposed object's calls.
 * A server entry (the edge build) passes `violationsReader()` as `violationsOf`.
 */
export function install(wasm, violationsOf) {
  // Once per wasm-bindgen module: two entries may share one (node.cjs and slim.cjs).
  if (installed.has(wasm)) return;
  installed.add(wasm);
  guardDisposal(wasm);
  wasm.__registerErrorClass(TicketwireError);
  wasm.__registerInputReader(inputReader(wasm.__memory(), wasm.__readerLimits(), violationsOf));
  // ticketwire/lite has no ticket iterator.
  for (const iterator of [wasm.MavaTicketIterator, wasm.TicketwireConversation].filter(Boolean)) {
    Object.defineProperty(iterator.prototype, Symbol.asyncIterator, {
      value() {
        return this;
      },
    });
  }
}

/** The bytes of a base64 string, with no Node `Buffer` (Workers, browsers' workers, Deno). */
export function base64Bytes(text) {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function notInAPage(name, provider = 'relay', operation = name) {
  return new TicketwireError(
    `${name} runs at the edge (a Worker, Deno, Bun or Node), where the provider keys are: never in a browser page`,
    { kind: 'config', provider, operation },
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
  durableObjectConversations() {
    throw notInAPage('durableObjectConversations');
  },
  TicketwireConversationObject: class TicketwireConversationObject {
    constructor() {
      throw notInAPage('TicketwireConversationObject');
    }
  },
  // Asynchronous where it runs, so it rejects here too.
  async verifyMavaWebhook() {
    throw notInAPage('verifyMavaWebhook', 'mava', 'verifyWebhook');
  },
};
